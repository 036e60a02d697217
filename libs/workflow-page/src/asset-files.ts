import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file the page may load, with the Content-Type it is served with. */
export interface AssetFile {
  path: string;
  contentType: string;
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/**
 * Returns the folder of the page's own script and stylesheet. `tsc` emits only compiled
 * TypeScript and JSON, so `npm run build` copies this folder into `dist/` beside the code.
 */
function pageAssetDirectory(): string {
  const directory = join(__dirname, 'assets');
  if (!existsSync(join(directory, 'workflow.js'))) {
    throw new Error(`Signing page assets not found in ${directory}; run \`npm run build\`, which copies them there`);
  }

  return directory;
}

function pdfjsDirectory(): string {
  return dirname(require.resolve('pdfjs-dist/package.json'));
}

/**
 * Files served under `/{signatory_uid}/workflow/assets/`, by name. Only names listed here are
 * served, so no request path ever reaches the file system.
 */
export function buildAssetCatalogue(): Map<string, AssetFile> {
  const pageAssets = pageAssetDirectory();
  const pdfjs = pdfjsDirectory();
  const catalogue = new Map<string, AssetFile>([
    ['workflow.js', { path: join(pageAssets, 'workflow.js'), contentType: JAVASCRIPT }],
    ['workflow.css', { path: join(pageAssets, 'workflow.css'), contentType: 'text/css; charset=utf-8' }],
    ['pdf.min.mjs', { path: join(pdfjs, 'build', 'pdf.min.mjs'), contentType: JAVASCRIPT }],
    ['pdf.worker.min.mjs', { path: join(pdfjs, 'build', 'pdf.worker.min.mjs'), contentType: JAVASCRIPT }],
  ]);

  // Character maps (CJK text) and the standard 14 fonts, which pdf.js fetches for PDFs that
  // do not embed them.
  for (const folder of ['cmaps', 'standard_fonts']) {
    for (const name of readdirSync(join(pdfjs, folder))) {
      if (/\.(bcmap|pfb|ttf)$/.test(name)) {
        catalogue.set(`pdfjs/${folder}/${name}`, { path: join(pdfjs, folder, name), contentType: 'application/octet-stream' });
      }
    }
  }

  return catalogue;
}
