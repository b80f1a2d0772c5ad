// Bundles the web application into the gateway's static resources (the directory given as the first argument,
// META-INF/resources of the jar): one ES module with its npm dependencies (Apache ECharts), the stylesheet and the
// page. Nothing is fetched at run time: the page works without internet access.
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'dist');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/main.js'],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: ['es2022'],
  outfile: resolve(out, 'app.js'),
  legalComments: 'linked',
  logLevel: 'warning',
});
cpSync('src/index.html', resolve(out, 'index.html'));
cpSync('src/style.css', resolve(out, 'style.css'));
console.log(`web application bundled into ${out}`);
