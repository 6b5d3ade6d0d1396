// Copies the data files that live beside the sources (rules, schemas) into dist/, where the built code looks for them.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ASSET = /\.(ya?ml|json|txt)$/;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'testdata') walk(path);
    } else if (ASSET.test(name)) {
      cpSync(path, join('dist', relative('src', path)));
    }
  }
}
walk('src');
