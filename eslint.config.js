// The layering rules of ARCHITECTURE.md ("Layers"), checked on every import, export and
// dynamic import (`npm run lint`, part of `npm test`). Only these rules: style is Prettier's
// job, types are tsc's. Imports are resolved the way tsc resolves them ('./x.js' -> x.ts), so
// a rule sees the file an import reaches, not the text of its path.
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** Folders and the layer each one is (the first pattern that matches a file wins). */
const layers = [
  { type: 'contract', pattern: 'app/contract' },
  { type: 'show', pattern: 'app/show' },
  { type: 'engine', pattern: 'app/engine' },
  { type: 'main', pattern: 'app/main' },
  { type: 'preload', pattern: 'app/preload' },
  { type: 'app-root', pattern: 'app' }, // app/cli.ts and the other files at the top of app/
  { type: 'renderer', pattern: 'renderer' },
  { type: 'models', pattern: 'models' },
].map((element) => ({ ...element, partialMatch: false })); // patterns are from the repo root, not any folder of that name

const app = ['contract', 'show', 'engine', 'main', 'preload', 'app-root'];

const nodeBuiltIn = { module: { origin: 'core' } };
const layer = (...types) => ({ element: { types: { anyOf: types } } });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'vendor/**', 'node_modules/**', '**/node_modules/**', 'native/**/build/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['**/*.{ts,tsx,cts,mts,js,mjs,cjs}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    // Lint only what this file asks for; a stale eslint-disable comment is an error.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers,
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'import/resolver': { typescript: { alwaysTryTypes: false, project: ['tsconfig.json', 'renderer/tsconfig.json', 'app/preload/tsconfig.json'], noWarnOnMultipleProjects: true }, node: true },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          checkAllOrigins: true,
          policies: [
            {
              from: layer('contract', 'show'),
              disallow: { to: [nodeBuiltIn, layer('engine', 'main', 'preload', 'app-root', 'renderer', 'models')] },
              message: 'app/contract and app/show are pure TypeScript shared with the browser: no node:* modules, no imports from engine, main, preload, renderer or models.',
            },
            {
              from: layer('engine'),
              disallow: { to: [{ module: { source: 'electron' } }, layer('renderer', 'main', 'preload')] },
              message: 'app/engine is plain Node: it never imports electron, the Electron shell (main, preload) or the renderer.',
            },
            {
              from: layer('renderer'),
              disallow: { to: [nodeBuiltIn, layer('engine', 'main', 'app-root', 'models')] },
              message: 'renderer/ runs in the browser: no Node built-ins and no engine code; it talks to the engine through app/contract.',
            },
            {
              from: layer(...app),
              disallow: { to: layer('models') },
              message: 'Arrows go models -> app: the app never imports from models/ (model builders may use app code, not the other way round).',
            },
          ],
        },
      ],
    },
  },
);
