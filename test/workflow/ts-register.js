/**
 * Lets plain `node` run the TypeScript sources, for tests that start the worker as a separate
 * process: `node -r ./test/workflow/ts-register.js apps/worker/src/main.ts`. It compiles each
 * file with @swc/core using the same settings as the jest transform and maps
 * `@secusign/NAME` to `libs/NAME/src`, as tsconfig.json does.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function resolveAlias(request, ...rest) {
  const alias = /^@secusign\/([^/]+)(\/.*)?$/.exec(request);
  const target = alias ? path.join(root, 'libs', alias[1], 'src', alias[2] ?? '') : request;

  return resolveFilename.call(this, target, ...rest);
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
