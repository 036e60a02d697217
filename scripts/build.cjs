#!/usr/bin/env node
/**
 * `npm run build`, safe to run from several `npm start` at once in one checkout.
 *
 * Builds run one at a time under a lock directory, and a build is skipped when the sources
 * match the fingerprint of the last one. A build compiles into a fresh `dist.build-<pid>`
 * (tsc, tsc-alias, then the asset copy), then renames each of its top-level folders into
 * `dist`. A running process therefore never sees a half-written `dist`, and other output
 * under `dist` (such as `dist/signature-tools` of `npm run sign`) stays in place.
 *
 * Usage: node scripts/build.cjs [--force]
 */
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { hostname } = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const LOCK_DIR = path.join(ROOT, '.build.lock');
const FINGERPRINT_FILE = path.join(DIST, '.build-fingerprint');
const PROJECT = 'tsconfig.build.json';
/** Folders and files copied as they are, relative to the repository root and to the output folder. */
const ASSETS = ['libs/workflow-page/src/assets', 'libs/evidence/src/export/evidence.xsd'];
/** Inputs of the build: folders are read recursively, files one by one. */
const INPUTS = ['apps', 'libs', 'migrations', 'scripts', 'bench', 'tsconfig.json', PROJECT, 'package.json', 'package-lock.json'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git']);
const LOCK_POLL_MS = 200;
const LOCK_TIMEOUT_MS = 10 * 60_000;

/** Writes one line in the app's pino format (level 30 is info), so `npm start` prints only JSON. */
function log(message) {
  process.stderr.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, hostname: hostname(), context: 'Build', msg: message })}\n`);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);

    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Takes the build lock: `mkdir` is atomic, and the holder's pid inside lets a later build
 * remove the lock of a build that was killed.
 */
function acquireLock() {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));

      return;
    } catch (error) {
      if (error.code !== 'EEXIST') {
        throw error;
      }
    }
    const holder = Number.parseInt(readOrEmpty(path.join(LOCK_DIR, 'pid')), 10);
    if (Number.isInteger(holder) && !isRunning(holder)) {
      // NOTE: two builds that find the same stale lock at once can both end up holding it, and
      // their swaps into dist may then interleave. It needs a killed build and two waiting ones.
      const stale = `${LOCK_DIR}.stale-${process.pid}`;
      try {
        fs.renameSync(LOCK_DIR, stale);
        fs.rmSync(stale, { recursive: true, force: true });
        log(`removed the build lock of process ${holder}, which is no longer running`);
      } catch {
        // Another build removed it first.
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${LOCK_TIMEOUT_MS / 1000} s waiting for the build lock ${LOCK_DIR} held by process ${holder}; remove the folder if no build is running.`);
    }
    sleep(LOCK_POLL_MS);
  }
}

function releaseLock() {
  fs.rmSync(LOCK_DIR, { recursive: true, force: true });
}

function readOrEmpty(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function addToHash(hash, relative) {
  const absolute = path.join(ROOT, relative);
  let stat;
  try {
    stat = fs.statSync(absolute);
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(absolute).sort()) {
      if (!SKIPPED_FOLDERS.has(entry)) {
        addToHash(hash, path.join(relative, entry));
      }
    }

    return;
  }
  hash.update(`${relative}\0${stat.size}\0`);
  hash.update(fs.readFileSync(absolute));
}

/** SHA-256 over the path and content of every build input, and the Node.js version. */
function fingerprint() {
  const hash = createHash('sha256');
  hash.update(`${process.version}\0`);
  for (const input of INPUTS) {
    addToHash(hash, input);
  }

  return hash.digest('hex');
}

function run(command, args) {
  execFileSync(process.execPath, [require.resolve(command, { paths: [ROOT] }), ...args], { cwd: ROOT, stdio: 'inherit' });
}

/** Compiles into `outDir`: tsc, tsc-alias on the same project, then the asset copy. */
function compile(outDir) {
  run('typescript/bin/tsc', ['-p', PROJECT, '--outDir', outDir]);
  run('tsc-alias/dist/bin/index.js', ['-p', PROJECT, '--outDir', outDir]);
  for (const asset of ASSETS) {
    fs.cpSync(path.join(ROOT, asset), path.join(outDir, asset), { recursive: true });
  }
}

/** Moves each top-level entry of `outDir` into `dist`, replacing the previous one by two renames. */
function swapIntoDist(outDir) {
  fs.mkdirSync(DIST, { recursive: true });
  for (const entry of fs.readdirSync(outDir)) {
    const target = path.join(DIST, entry);
    const previous = path.join(DIST, `.${entry}.previous-${process.pid}`);
    const hadPrevious = fs.existsSync(target);
    if (hadPrevious) {
      fs.renameSync(target, previous);
    }
    fs.renameSync(path.join(outDir, entry), target);
    if (hadPrevious) {
      fs.rmSync(previous, { recursive: true, force: true });
    }
  }
  fs.rmSync(outDir, { recursive: true, force: true });
}

function main() {
  const force = process.argv.includes('--force');
  acquireLock();
  const outDir = path.join(ROOT, `dist.build-${process.pid}`);
  try {
    const current = fingerprint();
    if (!force && readOrEmpty(FINGERPRINT_FILE) === current) {
      log('sources unchanged since the last build, keeping dist');

      return;
    }
    fs.rmSync(outDir, { recursive: true, force: true });
    compile(outDir);
    // The fingerprint goes in last, so an interrupted swap is rebuilt next time.
    fs.rmSync(FINGERPRINT_FILE, { force: true });
    swapIntoDist(outDir);
    fs.writeFileSync(FINGERPRINT_FILE, current);
    log('build finished');
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
    releaseLock();
  }
}

main();
