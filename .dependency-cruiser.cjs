// `npm run cycles` (part of `make lint`): the import graph of every workspace, checked by
// dependency-cruiser. TypeScript 7 has no compiler API for it, so swc parses (type-only
// imports count: a cycle of types is still a cycle for whoever reads the code).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A file must not reach itself through its imports: split the shared part into a module both import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'web-shell-on-top',
      severity: 'error',
      comment:
        'web/src/app/ is the shell (root, routes, frame): everything else is beneath it and never imports it. Hooks live in hooks/, the router in router/.',
      from: { path: '^web/src/', pathNot: '^web/src/(app/|main\\.tsx$)' },
      to: { path: '^web/src/app/' },
    },
    {
      name: 'api-framework-below-features',
      severity: 'error',
      comment:
        'The platform (routes/, http/, platform/, db/, sessions/, storage/, observability/, policies/, jobs/) never imports a feature folder: features build on it.',
      from: {
        path: '^api/src/(routes|http|platform|db|sessions|storage|observability|policies|jobs)/',
      },
      to: {
        path: '^api/src/(accounts|attachments|audit|instance|live|privacy|settings|teams|tickets)/',
      },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|coverage)/|^charts/' },
    moduleSystems: ['es6', 'cjs'],
  },
}
