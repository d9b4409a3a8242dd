// Fails when dist/ differs from a fresh `npm run bundle` of src/ (the runner executes dist/, not src/).
import { execFileSync } from 'node:child_process'

execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' })
const changes = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist'], {
  encoding: 'utf8',
})
if (changes.trim() !== '') {
  console.error(`dist/ is not the bundle of src/. Run \`npm run bundle\` and commit dist/.\n${changes}`)
  execFileSync('git', ['diff', '--stat', '--', 'dist'], { stdio: 'inherit' })
  process.exit(1)
}
console.log('dist/ matches a fresh bundle of src/.')
