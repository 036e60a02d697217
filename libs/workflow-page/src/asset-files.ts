import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A file the page may load, with the Content-Type it is served with. */
export interface AssetFile {
  path: string;
  contentType: string;
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/**
 * Finds the folder of the page's own script and stylesheet. `tsc` copies only compiled
 * TypeScript and JSON into `dist/`, so a built server reads them from the source tree,
 * which the build keeps beside `dist/`.
 */
function pageAssetDirectory(): string {
  const candidates = [join(__dirname, 'assets'), resolve(__dirname, '../../../../libs/workflow-page/src/assets')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'workflow.js')));
  if (!found) {
    throw new Error(`Signing page assets not found; looked in ${candidates.join(', ')}`);
  }

  return found;
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
