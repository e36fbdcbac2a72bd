// verify.js: check the market's ledger in this browser, trusting only the market's public key.
//
// A plain ES module with no dependencies, served as a static file and meant to be read.
// It re-implements, with WebCrypto, exactly what ledger/entries.py, ledger/merkle.py,
// ledger/head.py and ledger/verify.py define:
//   - canonical JSON: sorted keys, no whitespace, UTF-8, integers only (entries.canonical);
//   - an entry's hash: SHA-256 of the canonical {seq, epoch, time, kind, body, prev_hash};
//   - an entry's signature: Ed25519 over the 32 bytes of its hash;
//   - the signed head: Ed25519 over "privrec-tree-head\n" + canonical {version, seq, hash, time};
//   - Merkle roots and proofs (RFC 6962: leaf = SHA-256(0x00 || hash), node = SHA-256(0x01 ||
//     left || right), an odd node promoted as it is).
// It checks the chain's structure and signatures: seq order, prev_hash links, hashes,
// signatures, entry times never going back, epoch order (from epoch 0), every epoch's Merkle
// root, and that the entries reach the signed head. Lines must be canonical (as the market
// exports them), which also refuses what JSON.parse would silently accept (1.0, a duplicate
// key). It does not check each kind's body or recompute balances and settlements: `privrec
// ledger verify` replays those. The page's server supplies only data; the verdict depends on the key the
// user pins (compare it with the one the market's operator publishes).

const HEAD_TAG = "privrec-tree-head\n";
const HEAD_VERSION = 1;
const GENESIS_HASH = "0".repeat(64);
const MAX_SEQ = 2 ** 53;
const MAX_LINE_BYTES = 4096;
const MAX_PROOF_STEPS = 64;
const PAGE_ENTRIES = 1000; // ledger.entries.EXPORT_PAGE_ENTRIES
const ENTRY_KEYS = ["body", "epoch", "hash", "kind", "prev_hash", "seq", "signature", "time"];
const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
// An entry time (ledger.economy.parse_time): UTC, "Z" or "+00:00", at most microseconds.
const TIME = /^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,6}))?(?:Z|\+00:00)$/;
const encoder = new TextEncoder();

/** Why a ledger, head or proof is not the market's; the message says what failed. */
export class VerifyError extends Error {
  constructor(message, seq = null) {
    super(message);
    this.name = "VerifyError";
    this.seq = seq; // the first bad entry, when one is to blame
  }
}

function compareCodePoints(a, b) {
  // Python sorts keys by code point; JavaScript's default sort compares UTF-16 units.
  const left = Array.from(a, (c) => c.codePointAt(0));
  const right = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i] - right[i];
  }
  return left.length - right.length;
}

/** The canonical JSON text of a value, as ledger.entries.canonical encodes it. */
export function canonical(value) {
  if (value === null || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new VerifyError(`${value} is not an exact integer`);
    return String(value);
  }
  if (typeof value === "string") {
    if (!value.isWellFormed()) throw new VerifyError("a string holds a lone surrogate");
    return JSON.stringify(value); // escapes exactly what Python's json does with ensure_ascii off
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value).sort(compareCodePoints);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  throw new VerifyError(`cannot encode a ${typeof value}`);
}

export function toHex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromHex(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/** The market's Ed25519 public key (64 hex characters) as a WebCrypto key. */
export async function importMarketKey(publicKeyHex) {
  const hex = String(publicKeyHex).trim().toLowerCase();
  if (!HEX64.test(hex)) throw new VerifyError("a market public key is 64 hex characters");
  if (!globalThis.crypto?.subtle) {
    throw new VerifyError("this page has no WebCrypto: open it over HTTPS (or on localhost)");
  }
  try {
    return await crypto.subtle.importKey("raw", fromHex(hex), { name: "Ed25519" }, false, [
      "verify",
    ]);
  } catch (error) {
    throw new VerifyError(`this browser cannot use the key as Ed25519: ${error.message}`);
  }
}

async function signedBy(key, signatureHex, message) {
  return crypto.subtle.verify({ name: "Ed25519" }, key, fromHex(signatureHex), message);
}

/** SHA-256 (hex) of the canonical entry without its hash and signature. */
export async function entryHash(entry) {
  const { seq, epoch, time, kind, body, prev_hash } = entry;
  const signed = { seq, epoch, time, kind, body, prev_hash };
  return toHex(await sha256(encoder.encode(canonical(signed))));
}

function parseEntry(line, where) {
  if (typeof line !== "string") throw new VerifyError(`${where}: not text`);
  const text = line.replace(/\r?\n$/, "");
  // As Entry.from_json_line bounds it: the encoded line, then its characters.
  if (encoder.encode(line).length > MAX_LINE_BYTES + 2 || [...text].length > MAX_LINE_BYTES) {
    throw new VerifyError(`${where}: line longer than ${MAX_LINE_BYTES} bytes`);
  }
  let entry;
  try {
    entry = JSON.parse(text);
  } catch (error) {
    throw new VerifyError(`${where}: not valid JSON`);
  }
  checkEntryShape(entry, where);
  // The market exports canonical lines; requiring them refuses what JSON.parse would hide
  // (a float such as 1.0, a duplicate key), which Python's strict parser refuses too.
  if (canonical(entry) !== text) throw new VerifyError(`${where}: not in canonical form`);
  return entry;
}

/** An entry time as text that sorts as the moments do (fraction padded to microseconds). */
function sortableTime(time) {
  const [, seconds, fraction = ""] = TIME.exec(time);
  return `${seconds}.${fraction.padEnd(6, "0")}`;
}

function checkEntryShape(entry, where) {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    throw new VerifyError(`${where}: an entry is a JSON object`);
  }
  const keys = Object.keys(entry).sort();
  if (keys.join() !== ENTRY_KEYS.join()) {
    throw new VerifyError(`${where}: an entry has exactly the keys ${ENTRY_KEYS.join(", ")}`);
  }
  const { seq, epoch, time, kind, body, prev_hash, hash, signature } = entry;
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > MAX_SEQ) {
    throw new VerifyError(`${where}: seq is a non-negative integer`);
  }
  if (!Number.isSafeInteger(epoch) || epoch < 0) {
    throw new VerifyError(`${where}: epoch is a non-negative integer`, seq);
  }
  if (typeof kind !== "string" || !TIME.test(time)) {
    throw new VerifyError(`${where}: time is ISO-8601 UTC and kind is text`, seq);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new VerifyError(`${where}: body is a JSON object`, seq);
  }
  if (!HEX64.test(prev_hash) || !HEX64.test(hash) || !HEX128.test(signature)) {
    throw new VerifyError(`${where}: hashes and signature are lowercase hex`, seq);
  }
}

/** Why the entry's hash or signature is wrong (ledger.entries._seal_problem), or null. */
export async function sealProblem(entry, key) {
  if ((await entryHash(entry)) !== entry.hash) return "hash does not match the entry's contents";
  if (!(await signedBy(key, entry.signature, fromHex(entry.hash)))) {
    return "signature is not the market's";
  }
  return null;
}

// --- Merkle trees (ledger/merkle.py) ------------------------------------------------------

async function leaf(hashHex) {
  return sha256(concat(new Uint8Array([0]), fromHex(hashHex)));
}

async function node(left, right) {
  return sha256(concat(new Uint8Array([1]), left, right));
}

/** The Merkle tree of a growing list of entry hashes, kept as its perfect subtrees' roots. */
export class MerkleFrontier {
  constructor() {
    this.nodes = []; // [height, root bytes], heights decreasing
    this.size = 0;
  }

  async add(hashHex) {
    let height = 0;
    let current = await leaf(hashHex);
    while (this.nodes.length && this.nodes[this.nodes.length - 1][0] === height) {
      current = await node(this.nodes.pop()[1], current);
      height += 1;
    }
    this.nodes.push([height, current]);
    this.size += 1;
  }

  async root() {
    if (!this.nodes.length) return toHex(await sha256(new Uint8Array()));
    let current = this.nodes[this.nodes.length - 1][1];
    for (let i = this.nodes.length - 2; i >= 0; i--) current = await node(this.nodes[i][1], current);
    return toHex(current);
  }
}

/** The root (hex) over entry hashes in order, as ledger.merkle.merkle_root computes it. */
export async function merkleRoot(hashes) {
  const frontier = new MerkleFrontier();
  for (const hash of hashes) await frontier.add(hash);
  return frontier.root();
}

/** Whether the entry hash is under ``root`` by ``path`` (ledger.merkle.verify_proof). */
export async function verifyMerklePath(leafHash, path, root) {
  if (!HEX64.test(leafHash) || !HEX64.test(root)) return false;
  if (!Array.isArray(path) || path.length > MAX_PROOF_STEPS) return false;
  let current = await leaf(leafHash);
  for (const step of path) {
    if (!Array.isArray(step) || step.length !== 2) return false;
    const [side, sibling] = step;
    if ((side !== "left" && side !== "right") || !HEX64.test(sibling)) return false;
    const other = fromHex(sibling);
    current = side === "left" ? await node(other, current) : await node(current, other);
  }
  return toHex(current) === root;
}

// --- signed heads, chains and proofs ------------------------------------------------------

/** Check a signed head (GET /v1/ledger/head) under the market's key; returns it. */
export async function checkHead(head, key) {
  const keys = ["hash", "seq", "signature", "time", "version"];
  if (head === null || typeof head !== "object" || Object.keys(head).sort().join() !== keys.join()) {
    throw new VerifyError(`a signed head has exactly the keys ${keys.join(", ")}`);
  }
  if (head.version !== HEAD_VERSION) throw new VerifyError(`head version is not ${HEAD_VERSION}`);
  if (!Number.isSafeInteger(head.seq) || head.seq < 0 || !HEX64.test(head.hash)) {
    throw new VerifyError("a signed head names a seq and a 64-hex hash");
  }
  if (typeof head.time !== "string" || !HEX128.test(head.signature)) {
    throw new VerifyError("a signed head has a time and a 128-hex signature");
  }
  const body = { version: head.version, seq: head.seq, hash: head.hash, time: head.time };
  const message = encoder.encode(HEAD_TAG + canonical(body));
  if (!(await signedBy(key, head.signature, message))) {
    throw new VerifyError("the signed head is not signed by the market's key");
  }
  return head;
}

/**
 * Verifies exported entries in order, from the first entry of the ledger or from the first
 * entry of an epoch (``start``); feed lines page by page, then ``finish(head)``.
 */
export class ChainVerifier {
  constructor(key, start = 0) {
    this.key = key;
    this.start = start;
    this.last = null;
    this.count = 0;
    this.frontier = new MerkleFrontier();
    this.rootsChecked = 0; // epochs whose Merkle root was recomputed here
    this.closes = new Map(); // epoch -> its verified epoch_close entry
    this.watched = new Map(); // seq -> the verified entry, for the seqs given to watch()
  }

  /** Keep entry ``seq`` when it is verified (a proof is then checked against it). */
  watch(seq) {
    this.watched.set(seq, null);
  }

  async feed(lines) {
    for (const line of lines) {
      const expected = this.start + this.count;
      const entry = parseEntry(line, `entry ${expected}`);
      await this.admit(entry, expected);
    }
  }

  async admit(entry, expected) {
    const seq = entry.seq;
    if (seq !== expected) throw new VerifyError(`expected seq ${expected}, found ${seq}`, seq);
    const last = this.last;
    if (last !== null && entry.prev_hash !== last.hash) {
      throw new VerifyError("prev_hash is not the previous entry's hash", seq);
    }
    if (last === null && seq === 0 && entry.prev_hash !== GENESIS_HASH) {
      throw new VerifyError("the first entry does not follow the genesis hash", seq);
    }
    const problem = await sealProblem(entry, this.key);
    if (problem) throw new VerifyError(problem, seq);
    if (last !== null && sortableTime(entry.time) < sortableTime(last.time)) {
      throw new VerifyError(`time ${entry.time} is before the previous entry's`, seq);
    }
    if (seq === 0 && entry.epoch !== 0) {
      throw new VerifyError(`the first entry is in epoch ${entry.epoch}: a ledger starts in 0`, seq);
    }
    if (last !== null) {
      const want = last.kind === "epoch_close" ? last.epoch + 1 : last.epoch;
      if (entry.epoch !== want) {
        throw new VerifyError(`entry is in epoch ${entry.epoch}, expected epoch ${want}`, seq);
      }
    }
    if (entry.kind === "epoch_close") {
      if (entry.body.epoch !== entry.epoch) {
        throw new VerifyError(`epoch_close of epoch ${entry.body.epoch} in ${entry.epoch}`, seq);
      }
      // ``start`` is an epoch's first entry, so every close seen ends an epoch seen whole (a
      // start in the middle of one fails here: the check fails closed).
      if (entry.body.merkle_root !== (await this.frontier.root())) {
        throw new VerifyError("merkle_root is not the root of the epoch's entries", seq);
      }
      this.rootsChecked += 1;
      this.frontier = new MerkleFrontier();
      this.closes.set(entry.epoch, entry);
    } else {
      await this.frontier.add(entry.hash);
    }
    if (this.watched.has(seq)) this.watched.set(seq, entry);
    this.last = entry;
    this.count += 1;
  }

  /** Throw unless the entries read end exactly at the signed head's entry. */
  finish(head) {
    const last = this.last;
    if (last === null || last.seq < head.seq) {
      const ends = last === null ? "no entries" : `seq ${last.seq}`;
      throw new VerifyError(
        `truncated: the ledger ends at ${ends}, but the market's signed head is at seq ${head.seq}`,
      );
    }
    if (last.seq > head.seq) throw new VerifyError(`entries go past the signed head's seq ${head.seq}`);
    if (last.hash !== head.hash) {
      throw new VerifyError(
        `forked: entry ${head.seq} has hash ${last.hash.slice(0, 16)}..., but the market's ` +
          `signed head says ${head.hash.slice(0, 16)}...`,
        head.seq,
      );
    }
  }
}

/** Check a payout proof (GET /v1/ledger/proof/{seq}), as ledger.verify.check_payout_proof. */
export async function checkProof(proof, key) {
  if (proof === null || typeof proof !== "object" || Object.keys(proof).sort().join() !== "close,entry,path") {
    throw new VerifyError("a proof has exactly the keys entry, path and close");
  }
  const { entry, close, path } = proof;
  checkEntryShape(entry, "the proof's entry");
  checkEntryShape(close, "the proof's epoch close");
  if (close.kind !== "epoch_close" || entry.kind === "epoch_close") {
    throw new VerifyError("a proof pairs an entry with its epoch's close");
  }
  if (!(entry.epoch === close.epoch && close.epoch === close.body.epoch && entry.seq < close.seq)) {
    throw new VerifyError("the entry is not in the epoch the close ends");
  }
  for (const [what, item] of [["entry", entry], ["epoch close", close]]) {
    const problem = await sealProblem(item, key);
    if (problem) throw new VerifyError(`the proof's ${what}: ${problem}`, item.seq);
  }
  if (!(await verifyMerklePath(entry.hash, path, close.body.merkle_root))) {
    throw new VerifyError("the proof's path does not lead to the epoch's signed Merkle root");
  }
  return proof;
}

// --- fetching from a market ---------------------------------------------------------------

async function fetchJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new VerifyError(`${url}: the market answered ${response.status}`);
  return response.json();
}

/**
 * Verify against the pinned key: the market's signed head, the chain from entry ``start``
 * (0, or an epoch's first entry) to that head, and when ``proofSeq`` is given, that entry's
 * proof. ``report(step, ok, detail)`` is told each step as it ends. Resolves to the head and
 * the chain (``chain.watched`` holds the entries ``watch`` names as verified, ``chain.closes``
 * every epoch close), or rejects with a VerifyError.
 */
export async function verifyMarket({
  base = "",
  keyHex,
  start = 0,
  proofSeq = null,
  watch = [],
  report,
}) {
  const tell = report ?? (() => {});
  const key = await importMarketKey(keyHex);
  const head = await checkHead(await fetchJson(`${base}/v1/ledger/head`), key);
  tell("head", true, `the market signed its head at seq ${head.seq} (${head.time})`);
  const chain = new ChainVerifier(key, start);
  for (const seq of watch) chain.watch(seq);
  if (proofSeq !== null) chain.watch(proofSeq);
  let after = start - 1;
  while (after < head.seq) {
    // Never past the head: the ledger may have grown since it was signed.
    const limit = Math.min(PAGE_ENTRIES, head.seq - after);
    const query = after < 0 ? `limit=${limit}` : `after=${after}&limit=${limit}`;
    const response = await fetch(`${base}/v1/ledger?${query}`, { cache: "no-store" });
    if (!response.ok) throw new VerifyError(`the export answered ${response.status}`);
    const lines = (await response.text()).split("\n").filter((line) => line !== "");
    if (!lines.length) break;
    await chain.feed(lines);
    after = chain.last.seq;
    tell("progress", true, `${chain.count} entries checked`);
  }
  chain.finish(head);
  tell(
    "chain",
    true,
    `${chain.count} entries from seq ${start} to the head: hashes, signatures and links hold; ` +
      `${chain.rootsChecked} epoch Merkle roots recomputed`,
  );
  if (proofSeq !== null) {
    const proof = await checkProof(await fetchJson(`${base}/v1/ledger/proof/${proofSeq}`), key);
    checkProofInChain(proof, proofSeq, chain);
    tell(
      "proof",
      true,
      `entry ${proofSeq} is under epoch ${proof.close.epoch}'s signed root; as signed, it is a ` +
        `${proof.entry.kind} with body ${canonical(proof.entry.body)}`,
    );
  }
  return { head, chain };
}

/**
 * A proof the market signed is still not this page's unless it is the proof of entry ``seq``
 * and its entry and close are the ones the chain verified (a dishonest server could answer with
 * another entry's proof, or with an entry and close of a fork it also signed).
 */
export function checkProofInChain(proof, seq, chain) {
  if (proof.entry.seq !== seq) {
    throw new VerifyError(`the proof is of entry ${proof.entry.seq}, not of entry ${seq}`, seq);
  }
  const verified = chain.watched.get(seq);
  if (!verified || verified.hash !== proof.entry.hash) {
    throw new VerifyError(`the proof's entry is not the entry ${seq} of the verified chain`, seq);
  }
  const close = chain.closes.get(proof.close.epoch);
  if (!close || close.hash !== proof.close.hash) {
    throw new VerifyError(`the proof's epoch close is not the one of the verified chain`, seq);
  }
}
