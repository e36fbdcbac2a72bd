// The developer dashboard: reads your account and models from the JSON API and deploys a
// bundle. The API key lives in the variable below for the page's life only: never in
// localStorage, sessionStorage, a cookie or a URL; it travels only in the Authorization header
// of requests to this same origin.
let apiKey = null;

const $ = (id) => document.getElementById(id);

async function call(method, path, { body = null, type = null } = {}) {
  const headers = { Authorization: `Bearer ${apiKey}` };
  if (type) headers["Content-Type"] = type;
  const response = await fetch(path, { method, headers, body, cache: "no-store" });
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = typeof answer?.detail === "string" ? answer.detail : `error ${response.status}`;
    throw new Error(detail);
  }
  return answer;
}

function cell(row, text, numeric = false) {
  const td = document.createElement("td");
  if (numeric) td.className = "num";
  td.textContent = text;
  row.append(td);
  return td;
}

function credits(amount) {
  return Number(amount).toLocaleString("en-US");
}

function diagnosticsCell(row, diagnostics) {
  const td = cell(row, "");
  if (!diagnostics) {
    td.textContent = "none yet";
    return;
  }
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Show";
  const text = document.createElement("pre");
  text.className = "diagnostics";
  try {
    text.textContent = JSON.stringify(JSON.parse(diagnostics), null, 2);
  } catch {
    text.textContent = diagnostics;
  }
  details.append(summary, text);
  td.append(details);
}

async function load() {
  const [me, balance, models] = await Promise.all([
    call("GET", "/v1/developers/me"),
    call("GET", "/v1/developers/me/balance"),
    call("GET", "/v1/developers/me/models"),
  ]);
  $("developer-name").textContent = me.name;
  $("developer-balance").textContent = credits(balance.balance);
  $("developer-earnings").textContent = credits(models.reduce((sum, m) => sum + m.earnings, 0));
  const rows = models.map((model) => {
    const row = document.createElement("tr");
    row.dataset.modelId = model.id;
    const name = document.createElement("th");
    name.scope = "row";
    const link = document.createElement("a");
    link.href = `/models/${model.id}`;
    link.textContent = `${model.name}@${model.version}`;
    name.append(link);
    row.append(name);
    cell(row, model.status);
    cell(row, credits(model.stake), true);
    cell(row, credits(model.bid), true);
    cell(row, credits(model.escrow), true);
    cell(row, credits(model.earnings), true);
    diagnosticsCell(row, model.diagnostics);
    return row;
  });
  $("my-models").tBodies[0].replaceChildren(...rows);
}

async function settled(modelId) {
  // Validation runs in the background: poll the list (at most a minute) until it ends.
  for (let tries = 0; tries < 60 && apiKey; tries++) {
    const model = (await call("GET", "/v1/developers/me/models")).find((m) => m.id === modelId);
    if (model && model.status !== "pending" && model.status !== "validating") {
      await load();
      return model.status;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return "still being validated";
}

function forget() {
  apiKey = null;
  $("dashboard").hidden = true;
  $("forget-key").hidden = true;
  $("my-models").tBodies[0].replaceChildren();
  $("key-result").textContent = "The key is forgotten.";
}

$("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const typed = $("api-key").value.trim();
  $("api-key").value = "";
  apiKey = typed;
  $("key-result").className = "result";
  $("key-result").textContent = "Opening…";
  try {
    await load();
    $("dashboard").hidden = false;
    $("forget-key").hidden = false;
    $("key-result").textContent = "Signed in for this page only.";
  } catch (error) {
    apiKey = null;
    $("dashboard").hidden = true;
    $("key-result").className = "result failed";
    $("key-result").textContent = `Could not open the dashboard: ${error.message}`;
  }
});

$("forget-key").addEventListener("click", forget);

$("deploy-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = $("deploy-result");
  const file = $("deploy-bundle").files[0];
  if (!apiKey || !file) return;
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const type = head[0] === 0x50 && head[1] === 0x4b ? "application/zip" : "application/x-tar";
  const query = new URLSearchParams({
    stake: $("deploy-stake").value,
    bid: $("deploy-bid").value,
    escrow: $("deploy-escrow").value,
  });
  result.className = "result";
  result.textContent = "Uploading…";
  try {
    const model = await call("POST", `/v1/models?${query}`, { body: file, type });
    const name = `Model ${model.id} (${model.name}@${model.version})`;
    result.textContent = `${name} is ${model.status}: it is being validated.`;
    await load();
    result.textContent = `${name} is ${await settled(model.id)}.`;
  } catch (error) {
    result.className = "result failed";
    result.textContent = `Not deployed: ${error.message}`;
  }
});
