// The ledger pages' "verify in this browser" panel: runs verify.js with the key in the panel
// (the one pinned in this browser, if any, else the one this server says it has) and lists
// each step's result. Pinning keeps the key in localStorage: it is public, and a later visit
// warns when the server's key differs from the pinned one.
import { VerifyError, verifyMarket } from "./verify.js";

const PIN_ITEM = "privrec.pinnedMarketKey";

function shown(element) {
  return element ? element.textContent.trim() : null;
}

/** A <dl> as {term: its <dd>}. */
function facts(list) {
  const found = {};
  for (const term of list?.querySelectorAll("dt") ?? []) {
    found[term.textContent.trim()] = term.nextElementSibling;
  }
  return found;
}

/**
 * What the page shows, read from its visible text, as the entries to watch and the checks to
 * run once the chain is verified: the page is the server's HTML, so each entry, root and
 * time it shows must be what the market signed (and within what the check covered).
 */
function pageClaims() {
  const watch = [];
  const checks = []; // (chain) => a problem, or null
  const entry = (seq, fields, body = null) => {
    watch.push(seq);
    checks.push((chain) => {
      const signed = chain.watched.get(seq);
      if (!signed) return `the page shows entry ${seq}, which this check did not reach`;
      for (const [name, text] of Object.entries(fields)) {
        if (text !== String(signed[name])) {
          return `the page shows entry ${seq}'s ${name} as ${text}; the market signed ${signed[name]}`;
        }
      }
      if (body === null) return null;
      const keys = Object.keys(signed.body);
      if (keys.length !== body.size || !keys.every((key) => body.has(key))) {
        return `the page shows other body fields for entry ${seq} than the market signed`;
      }
      for (const [key, value] of Object.entries(signed.body)) {
        // Text and integers read the same on both sides; other values are the server's repr.
        const comparable = typeof value === "string" || typeof value === "number";
        if (comparable && body.get(key) !== String(value)) {
          return `the page shows entry ${seq}'s ${key} as ${body.get(key)}; the market signed ${value}`;
        }
      }
      return null;
    });
  };
  const root = (epochText, rootText, closedText) => {
    const epoch = Number(/^Epoch (\d+)$/.exec(epochText ?? "")?.[1]);
    checks.push((chain) => {
      const close = chain.closes.get(epoch);
      if (!close) return `the page shows ${epochText}'s Merkle root, which this check did not reach`;
      if (close.body.merkle_root !== rootText) {
        return `the page shows a Merkle root for ${epochText} the market did not sign`;
      }
      return closedText === null || closedText === close.time
        ? null
        : `the page shows ${epochText} closed at ${closedText}; the market signed ${close.time}`;
    });
  };
  // The ledger's page: the head entry, and each closed epoch's root and time.
  const head = facts(document.querySelector("#signed-head"));
  if (head.Entry) entry(Number(shown(head.Entry)), { hash: shown(head.Hash) });
  for (const row of document.querySelectorAll("#epochs tbody tr[data-epoch]")) {
    const cells = row.querySelectorAll("th, td");
    const code = cells[4]?.querySelector("code"); // an open epoch has none yet
    if (code) root(shown(cells[0]), shown(code), shown(cells[3]));
  }
  // An epoch's page: its root, and each entry listed.
  const rootShown = document.querySelector("#merkle-root");
  if (rootShown) root(shown(document.querySelector("h1")), shown(rootShown), null);
  for (const row of document.querySelectorAll("#entries tbody tr[data-seq]")) {
    const cells = row.querySelectorAll("th, td");
    entry(Number(shown(cells[0])), { time: shown(cells[1]), kind: shown(cells[2]) });
  }
  // An entry's page: every field and the body.
  const fields = facts(document.querySelector("#entry-fields"));
  if (fields.Seq) {
    const body = new Map(
      Array.from(document.querySelectorAll("#entry-body td[data-field]"), (cell) => [
        cell.dataset.field,
        shown(cell),
      ]),
    );
    const signed = {
      epoch: shown(fields.Epoch),
      time: shown(fields.Time),
      kind: shown(fields.Kind),
      prev_hash: shown(fields["Previous hash"]?.querySelector("code")),
      hash: shown(fields.Hash),
      signature: shown(fields.Signature),
    };
    entry(Number(shown(fields.Seq)), signed, body);
  }
  return { watch, checks };
}

function addStep(list, ok, text) {
  const item = document.createElement("li");
  item.className = ok ? "verify-ok" : "verify-bad";
  item.textContent = `${ok ? "✓" : "✗"} ${text}`;
  list.append(item);
}

function setUp(panel) {
  const input = panel.querySelector("#verify-key");
  const verdict = panel.querySelector(".verify-verdict");
  const steps = panel.querySelector(".verify-steps");
  const warning = panel.querySelector(".pin-warning");
  const served = panel.dataset.servedKey;
  const pinned = localStorage.getItem(PIN_ITEM);
  if (pinned) {
    input.value = pinned;
    if (pinned !== served) {
      warning.hidden = false;
      warning.textContent =
        "This server's key is not the one you pinned: verification uses your pinned key.";
    }
  }
  panel.querySelector(".verify-pin").addEventListener("click", () => {
    localStorage.setItem(PIN_ITEM, input.value.trim().toLowerCase());
    verdict.textContent = "Key pinned in this browser.";
  });
  const button = panel.querySelector(".verify-run");
  button.addEventListener("click", async () => {
    button.disabled = true;
    steps.replaceChildren();
    verdict.className = "verify-verdict";
    verdict.textContent = "Verifying…";
    const proofSeq = panel.dataset.proofSeq === "" ? null : Number(panel.dataset.proofSeq);
    const claims = pageClaims();
    try {
      const { chain } = await verifyMarket({
        keyHex: input.value,
        start: Number(panel.dataset.start),
        proofSeq,
        watch: claims.watch,
        report(step, ok, detail) {
          if (step === "progress") {
            verdict.textContent = `Verifying… ${detail}`;
            return;
          }
          addStep(steps, ok, detail);
        },
      });
      const problem = claims.checks.map((check) => check(chain)).find((found) => found);
      if (problem) throw new VerifyError(problem);
      const compared = `${claims.checks.length} of its figures compared`;
      addStep(steps, true, `this page shows what the market signed (${compared})`);
      verdict.classList.add("verify-ok");
      verdict.textContent = "Verified: the market signed all of this, under the key above.";
    } catch (error) {
      const where = error.seq === null || error.seq === undefined ? "" : ` (entry ${error.seq})`;
      addStep(steps, false, `${error.message}${where}`);
      verdict.classList.add("verify-bad");
      verdict.textContent = "NOT verified: see the failed step.";
    } finally {
      button.disabled = false;
    }
  });
}

document.querySelectorAll("section.verify").forEach(setUp);
