// npm puts node_modules/.bin first on PATH, so `npm test` runs under the pinned `node` package
// (24.x) even where the system Node is 20. Calling node_modules/.bin tools directly bypasses it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `par-inspect needs Node 24 or newer, but this is Node ${process.versions.node}. ` +
      'Run the scripts through npm (npm test, npm start) so the pinned Node 24 from devDependencies is used.',
  );
  process.exit(1);
}
console.log(`Node ${process.versions.node}`);
