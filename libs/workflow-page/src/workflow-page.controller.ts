import { posix } from 'node:path';
import { Controller, Get, Logger, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { accessiblePrimaryColor, DEFAULT_PRIMARY_COLOR, PageBranding, toPageBranding } from './branding';
import { buildAssetCatalogue } from './asset-files';
import { messagesFor, negotiateLanguage, Translator, translatorFor } from './i18n/translations';
import type { PageModel } from './page-model';
import { renderErrorPage, renderNotFoundPage, renderSignatoryPage } from './render/pages';
import { renderThemeStylesheet } from './render/theme';
import { setAssetHeaders, setPageHeaders } from './security-headers';
import { WorkflowPageService } from './workflow-page.service';

/**
 * The signatory's signing page at `{PUBLIC_URL}/{signatory_uid}/workflow/`, outside the
 * `/api/v1` prefix, with its stylesheet, script and the pdf.js files it loads.
 */
@ApiExcludeController()
@Controller()
export class WorkflowPageController {
  private readonly logger = new Logger(WorkflowPageController.name);
  private readonly assets = buildAssetCatalogue();

  constructor(private readonly pages: WorkflowPageService) {}

  @Get(':signatoryUid/workflow')
  async page(@Param('signatoryUid') signatoryUid: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    // Relative asset and API links resolve against the folder, so the page lives at `…/workflow/`.
    if (!request.path.endsWith('/')) {
      const query = request.originalUrl.includes('?') ? request.originalUrl.slice(request.originalUrl.indexOf('?')) : '';
      setPageHeaders(response);
      // A relative Location (`/{uid}/workflow` → `workflow/`) keeps any proxy path prefix.
      response.redirect(301, `workflow/${query}`);

      return;
    }

    let model: PageModel | null;
    try {
      model = await this.pages.loadPage(signatoryUid);
    } catch (error) {
      // A signatory should see a page they can read, not the API's problem JSON.
      this.logger.error({ err: error, signatory_uid: signatoryUid }, 'signing page could not be loaded');
      this.sendError(request, response);

      return;
    }
    if (!model) {
      this.sendNotFound(request, response);

      return;
    }
    setPageHeaders(response);
    response.status(200).type('html').send(renderSignatoryPage(model, translatorFor(model.language)));
  }

  @Get(':signatoryUid/workflow/theme.css')
  theme(@Query('color') color: string | undefined, @Res() response: Response): void {
    setAssetHeaders(response);
    response.status(200).type('text/css; charset=utf-8').send(renderThemeStylesheet(accessiblePrimaryColor(color ?? DEFAULT_PRIMARY_COLOR)));
  }

  @Get(':signatoryUid/workflow/assets/*assetPath')
  asset(@Param('assetPath') assetPath: string | string[], @Req() request: Request, @Res() response: Response): void {
    const name = Array.isArray(assetPath) ? assetPath.join('/') : assetPath;
    const file = this.assets.get(name);
    if (!file) {
      this.sendNotFound(request, response);

      return;
    }
    setAssetHeaders(response);
    response.setHeader('Content-Type', file.contentType);
    response.sendFile(file.path, { cacheControl: false, dotfiles: 'deny' });
  }

  @Get(':signatoryUid/workflow/*rest')
  unknown(@Req() request: Request, @Res() response: Response): void {
    this.sendNotFound(request, response);
  }

  private sendNotFound(request: Request, response: Response): void {
    const translator = translatorFor(negotiateLanguage(request.get('accept-language')));
    setPageHeaders(response);
    response.status(404).type('html').send(renderNotFoundPage(translator, productBranding(translator), pageBaseOf(request.path)));
  }

  private sendError(request: Request, response: Response): void {
    const translator = translatorFor(negotiateLanguage(request.get('accept-language')));
    setPageHeaders(response);
    response.status(500).type('html').send(renderErrorPage(translator, productBranding(translator), pageBaseOf(request.path)));
  }
}

/** SecuSign's own branding, for pages that belong to no known client. */
function productBranding(translator: Translator): PageBranding {
  return toPageBranding({ displayName: null, primaryColor: null, logoUrl: null }, messagesFor(translator.language).product_name);
}

/**
 * Returns the relative path from the folder of `requestPath` back to its `/{uid}/workflow/`
 * folder, where `assets/` and `theme.css` are served. Relative links keep working behind a
 * proxy that mounts the service under a path prefix.
 */
export function pageBaseOf(requestPath: string): string {
  const match = /^(.*?\/[^/]*\/workflow)(\/.*)?$/.exec(requestPath);
  if (!match) {
    return '';
  }
  const folder = requestPath.endsWith('/') ? requestPath : posix.dirname(requestPath);
  const relative = posix.relative(folder, match[1]);

  return relative === '' ? '' : `${relative}/`;
}
