import { pageBaseOf } from './workflow-page.controller';

describe('pageBaseOf', () => {
  it.each([
    ['/8a6ff96d-196f-40a4-80af-abe4f61f743b/workflow/', ''],
    ['/8a6ff96d-196f-40a4-80af-abe4f61f743b/workflow/unknown', ''],
    ['/8a6ff96d-196f-40a4-80af-abe4f61f743b/workflow/assets/nothing.js', '../'],
    ['/x/workflow/a/b/c', '../../'],
    ['/x/workflow/a/', '../'],
  ])('links %s back to its page folder with %p', (path, expected) => {
    expect(pageBaseOf(path)).toBe(expected);
  });
});
