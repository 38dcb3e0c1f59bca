// Looks at a campaign in the Temporal Web UI (2.54) the way a user would, headless, and prints
// what it found as one JSON object on stdout; the JUnit test (UiEndToEndTest) judges it.
// Screenshots go to OUT_DIR. Elements are found by visible text and roles, as a user finds them.
//
// Usage: node ui-check.mjs UI_BASE_URL CAMPAIGN OUT_DIR [--failed RUN_ID] [--live RUN_ID]
//   --failed: a run that failed (its page must show the failure type and message)
//   --live:   a run that is running now (its timeline must show the activity summaries)
// Exit codes: 0 all pages were read (the caller checks the findings), 1 a page could not be read,
// 2 bad arguments.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './browser.mjs';

const args = process.argv.slice(2);
const positional = [];
const flags = {};
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) flags[args[i].slice(2)] = args[++i];
  else positional.push(args[i]);
}
const [base, campaign, outDir] = positional;
if (!base || !campaign || !outDir) {
  console.error('usage: node ui-check.mjs UI_BASE_URL CAMPAIGN OUT_DIR [--failed RUN_ID] [--live RUN_ID]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const ns = process.env.TEMPORAL_NAMESPACE || 'default';
const campaignId = `campaign/${campaign}`;
const workflowUrl = (id) => `${base}/namespaces/${ns}/workflows/${encodeURIComponent(id)}`;
const TIMEOUT = 30_000;

/** Every rendered Markdown block (Summary, Details, Current Details): each is an iframe. */
async function markdownSections(page) {
  const sections = {};
  for (const frameEl of await page.locator('iframe').elementHandles()) {
    const heading = await frameEl.evaluate((f) => {
      const box = f.parentElement?.parentElement;
      return box ? box.innerText.split('\n')[0].trim() : '';
    });
    const frame = await frameEl.contentFrame();
    if (!frame || !heading) continue;
    sections[heading] = (await frame.locator('body').innerText().catch(() => '')).trim();
  }
  return sections;
}

async function openTab(page, name) {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).first().click({ timeout: TIMEOUT });
}

/** Waits until the Markdown sections are filled (they render after the page). */
async function waitForSections(page, names) {
  const deadline = Date.now() + TIMEOUT;
  let sections = {};
  while (Date.now() < deadline) {
    sections = await markdownSections(page);
    if (names.every((n) => sections[n])) break;
    await page.waitForTimeout(500);
  }
  return sections;
}

async function statusOf(page) {
  const text = await page.locator('main').innerText();
  const m = text.match(/\b(RUNNING|COMPLETED|FAILED|CANCELED|TERMINATED|TIMED OUT|CONTINUED AS NEW)\b/);
  return m ? m[1] : null;
}

/**
 * The Timeline's row labels that match `pattern`, once one matches `until` (rows render as the
 * history loads; a pending activity's row reads "Attempt 1 / 50 • Await • ...").
 */
async function timelineLabels(page, pattern, until = pattern) {
  const deadline = Date.now() + TIMEOUT;
  let labels = [];
  while (Date.now() < deadline) {
    const lines = (await page.locator('main').innerText()).split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    labels = [...new Set(lines.filter((l) => pattern.test(l)))];
    if (labels.some((l) => until.test(l))) break;
    await page.waitForTimeout(500);
  }
  return labels;
}

async function checkList(page) {
  const query = `LlemCampaign="${campaign}"`;
  const url = `${base}/namespaces/${ns}/workflows?query=${encodeURIComponent(query)}`;
  // Visibility is eventually consistent: reload until the campaign's row shows.
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    await page.goto(url, { waitUntil: 'load' });
    try {
      await page.getByRole('link', { name: campaignId, exact: true }).first().waitFor({ timeout: 5000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`the list filtered by ${query} never showed ${campaignId}`);
    }
  }
  await page.waitForTimeout(500);
  // Columns by their header, as a reader of the table finds them.
  const table = await page.locator('table').first().evaluate((t) => ({
    headers: [...t.querySelectorAll('thead th')].map((th) => th.innerText.trim()),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())),
  }));
  const col = (name) => table.headers.indexOf(name);
  const workflows = table.rows
    .filter((cells) => cells.length === table.headers.length)
    .map((cells) => ({
      workflowId: cells[col('Workflow ID')],
      status: cells[col('Status')],
      type: cells[col('Type')],
    }));
  const mainText = await page.locator('main').innerText();
  const shot = join(outDir, 'list.png');
  await page.screenshot({ path: shot, fullPage: true });
  return {
    url,
    filterShown: mainText.includes(`LlemCampaign = "${campaign}"`),
    workflows,
    screenshot: shot,
  };
}

async function checkCampaign(page) {
  await page.goto(workflowUrl(campaignId), { waitUntil: 'load' });
  await page.getByRole('heading', { name: campaignId }).first().waitFor({ timeout: TIMEOUT });
  const result = { workflowId: campaignId, status: await statusOf(page), screenshots: [] };

  result.timeline = await timelineLabels(page, /^run \S+ \(\d+\/\d+\)/);
  const timelineShot = join(outDir, 'campaign-timeline.png');
  await page.screenshot({ path: timelineShot, fullPage: true });
  result.screenshots.push(timelineShot);

  await openTab(page, 'User Metadata');
  const sections = await waitForSections(page, ['Summary', 'Details', 'Current Details']);
  result.summary = sections['Summary'] ?? null;
  result.details = sections['Details'] ?? null;
  result.currentDetails = sections['Current Details'] ?? null;
  const metaShot = join(outDir, 'campaign.png');
  await page.screenshot({ path: metaShot, fullPage: true });
  result.screenshots.push(metaShot);

  await openTab(page, 'Relationships');
  const childPattern = new RegExp(`^${campaignId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+$`);
  const deadline = Date.now() + TIMEOUT;
  let children = [];
  while (Date.now() < deadline) {
    const texts = await page.locator('main').innerText();
    children = [...new Set(texts.split('\n').map((l) => l.trim()).filter((l) => childPattern.test(l)))];
    if (children.length) break;
    await page.waitForTimeout(500);
  }
  result.children = children;
  const relShot = join(outDir, 'campaign-relationships.png');
  await page.screenshot({ path: relShot, fullPage: true });
  result.screenshots.push(relShot);

  await openTab(page, 'Queries');
  // Pick the query from the "Query Type" menu by its name, as a user does.
  await page.getByText('Query Type', { exact: true }).locator('xpath=following::button[1]').click();
  const options = page.getByRole('option');
  await options.first().waitFor({ timeout: TIMEOUT });
  const queryTypes = (await options.allInnerTexts()).map((t) => t.trim().split('\n')[0].trim());
  await options.filter({ hasText: /^\s*progress\b/ }).first().click();
  await page.getByRole('button', { name: /^(Run|Refresh) Query$/ }).click({ timeout: TIMEOUT });
  let queryText = '';
  const qDeadline = Date.now() + TIMEOUT;
  while (Date.now() < qDeadline) {
    const t = await page.locator('main').innerText();
    const i = t.indexOf('JSON Formatting');
    queryText = i >= 0 ? t.slice(i + 'JSON Formatting'.length) : '';
    if (/"planned"/.test(queryText)) break;
    await page.waitForTimeout(500);
  }
  // The code view shows fold markers on their own lines; drop them.
  queryText = queryText.split('\n').filter((l) => l.trim() !== '⌄').join('\n').trim();
  const num = (k) => {
    const m = queryText.match(new RegExp(`"${k}"\\s*:\\s*(\\d+)`));
    return m ? Number(m[1]) : null;
  };
  const str = (k) => {
    const m = queryText.match(new RegExp(`"${k}"\\s*:\\s*"([^"]*)"`));
    return m ? m[1] : null;
  };
  result.query = {
    name: 'progress',
    queryTypes,
    text: queryText,
    campaign: str('campaign'),
    state: str('state'),
    planned: num('planned'),
    completed: num('completed'),
    failed: num('failed'),
    runningRunIds: [...queryText.matchAll(/"runId"\s*:\s*"([^"]+)"[^}]*?"since"/gs)].map((m) => m[1]),
    failureTypes: [...queryText.matchAll(/"type"\s*:\s*"([^"]+)"/g)].map((m) => m[1]),
  };
  const queryShot = join(outDir, 'campaign-query.png');
  await page.screenshot({ path: queryShot, fullPage: true });
  result.screenshots.push(queryShot);
  return result;
}

async function checkRun(page, runId, name) {
  const id = `${campaignId}/${runId}`;
  await page.goto(workflowUrl(id), { waitUntil: 'load' });
  await page.getByRole('heading', { name: id }).first().waitFor({ timeout: TIMEOUT });
  const result = { workflowId: id, status: await statusOf(page) };
  const running = result.status === 'RUNNING';
  result.activitySummaries = await timelineLabels(
    page,
    /(Route|Launch|Verify|Await|Collect|Cleanup) • /,
    running ? /Await • / : /Cleanup • /,
  );
  // The Input/Result boxes and the rest of the page as a user reads them.
  result.text = (await page.locator('main').innerText()).slice(0, 20000);
  const shot = join(outDir, `${name}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  result.screenshot = shot;
  await openTab(page, 'User Metadata');
  const sections = await waitForSections(page, ['Summary', 'Current Details']);
  result.summary = sections['Summary'] ?? null;
  result.currentDetails = sections['Current Details'] ?? null;
  const metaShot = join(outDir, `${name}-metadata.png`);
  await page.screenshot({ path: metaShot, fullPage: true });
  result.metadataScreenshot = metaShot;
  return result;
}

const context = await launch();
const found = { base, campaign };
let code = 0;
try {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  found.list = await checkList(page);
  found.campaign = await checkCampaign(page);
  if (flags.live) found.liveRun = await checkRun(page, flags.live, 'run-live');
  if (flags.failed) found.failedRun = await checkRun(page, flags.failed, 'run-failed');
} catch (e) {
  found.error = String(e && e.stack ? e.stack : e);
  code = 1;
} finally {
  await context.close();
}
console.log(JSON.stringify(found));
process.exit(code);
