// A task-force lead's week through the fetch client @hey-api/openapi-ts generates from openapi.yaml
// (generated/, never edited), against a running service:
//
//   node out/workflow.js <base URL> <admin key>
//
// Each step prints its name; the first wrong answer throws, and the process exits non-zero with it.
import assert from "node:assert/strict";
import { createClient, type Client } from "./generated/client";
import {
  createApiKey,
  createCheckIn,
  createInitiative,
  createOwner,
  executionReport,
  getApiKey,
  getInitiative,
  listDirections,
  listInitiatives,
  moveDeadline,
  overdueReport,
  patchInitiative,
  progressReport,
  trendReport,
  updateInitiative,
  upcomingReport,
} from "./generated/sdk.gen";
import type { HttpValidationProblemDetails, ProblemDetails } from "./generated/types.gen";

const [baseUrl, adminKey] = process.argv.slice(2);
if (baseUrl === undefined || adminKey === undefined) {
  throw new Error("usage: node out/workflow.js <base URL> <admin key>");
}

/** The generated client for one key: hey-api sends it as the bearer scheme the document names first. */
const clientFor = (key: string): Client => createClient({ baseUrl, auth: key });

/** What a call through the generated SDK resolves to (throwOnError: false, the default): its data or its error. */
type Result = { data?: unknown; error?: unknown; response?: Response };

function responseOf(name: string, result: Result): Response {
  if (result.response === undefined) {
    throw new Error(`${name}: no response (the request did not reach the service)`);
  }
  return result.response;
}

/** One call that must succeed: a problem answer fails with the step's name, its status, detail and field errors. */
async function step<R extends Result>(name: string, call: () => Promise<R>): Promise<{ data: NonNullable<R["data"]>; response: Response }> {
  console.log(`- ${name}`);
  const result = await call();
  const response = responseOf(name, result);
  const data = result.data;
  if (result.error !== undefined || data === undefined || data === null) {
    throw new Error(`${name}: ${response.status} ${JSON.stringify(result.error)}`);
  }
  return { data, response };
}

/** One call that must fail with a problem of this status; the problem as the generated types read it. */
async function refused<R extends Result>(name: string, status: number, call: () => Promise<R>): Promise<NonNullable<R["error"]>> {
  console.log(`- ${name} (expecting ${status})`);
  const result = await call();
  const response = responseOf(name, result);
  assert.equal(response.status, status, `${name}: status`);
  assert.equal(response.headers.get("content-type"), "application/problem+json", `${name}: content type`);
  const error = result.error;
  if (error === undefined || error === null) {
    throw new Error(`${name}: a ${status} without a problem body`);
  }
  return error;
}

function etag(response: Response): string {
  const value = response.headers.get("etag");
  assert.ok(value !== null, "the response has an ETag");
  return value;
}

/** An instant as RFC 3339 with a +08:00 offset (Asia/Shanghai wall time), as a caller in that zone writes it. */
function withOffset(instant: Date): string {
  const shanghai = new Date(instant.getTime() + 8 * 3_600_000);
  return `${shanghai.toISOString().slice(0, 19)}+08:00`;
}

async function main(): Promise<void> {
  const admin = clientFor(adminKey!);

  // As admin: the owner, and a key for them that expires in three days, written with an offset.
  const owner = (await step("create the owner", () =>
    createOwner({ client: admin, body: { name: "Li Na", email: "li.na@example.edu", unit: "School of Mechanical Engineering" } }))).data;
  const expiresAt = new Date(Date.now() + 3 * 86_400_000);
  expiresAt.setUTCMilliseconds(0);
  const key = (await step("create the lead's expiring key", () =>
    createApiKey({ client: admin, body: { name: "li-na-scripts", role: "lead", ownerId: owner.id, expiresAt: withOffset(expiresAt) } }))).data;
  assert.equal(key.role, "lead");
  assert.equal(key.ownerId, owner.id);
  assert.ok(key.expiresAt !== null, "the key has its expiry");
  assert.equal(Date.parse(key.expiresAt), expiresAt.getTime(), "the expiry is the instant sent");
  const read = (await step("read the key", () => getApiKey({ client: admin, path: { id: key.id } }))).data;
  assert.equal(read.expiresAt === null ? NaN : Date.parse(read.expiresAt), expiresAt.getTime());

  const lead = clientFor(key.key);

  // Initiatives under the seeded directions, due in 2030 so that the reports below, as of fixed dates, do not
  // depend on today.
  const directions = (await step("list the directions", () => listDirections({ client: lead }))).data;
  const direction = (number: number): number => {
    const found = directions.items.find((d) => d.number === number);
    assert.ok(found !== undefined, `direction ${number} is seeded`);
    return found.id;
  };

  const created = await step("create the Almaty initiative", () =>
    createInitiative({
      client: lead,
      body: { directionId: direction(2), ownerId: owner.id, title: "Overseas innovation center in Almaty", deadline: "2030-03-12" },
    }));
  const almaty = created.data;
  assert.equal(almaty.status, "planned");
  assert.equal(almaty.health, "on_track");
  assert.equal(almaty.deadline, "2030-03-12");
  assert.equal(etag(created.response), `"${almaty.version}"`);
  assert.equal(created.response.headers.get("location"), `/api/v1/initiatives/${almaty.id}`);

  const programme = (await step("create the master's programme", () =>
    createInitiative({
      client: lead,
      body: { directionId: direction(1), ownerId: owner.id, title: "Joint master's programme with Kazakh universities", deadline: "2030-03-11" },
    }))).data;

  // Check-ins.
  const checkIn = (await step("check in on Almaty", () =>
    createCheckIn({
      client: lead,
      path: { id: almaty.id },
      body: { progress: 30, status: "in_progress", health: "at_risk", note: "Partner visit moved." },
    }))).data;
  assert.equal(checkIn.progress, 30);
  assert.equal(checkIn.previousStatus, "planned");
  assert.equal(checkIn.reportedBy, "li-na-scripts");
  await step("check in on the programme", () =>
    createCheckIn({ client: lead, path: { id: programme.id }, body: { progress: 10, status: "in_progress", health: "off_track" } }));

  // Move Almaty's deadline.
  const moved = (await step("move Almaty's deadline", () =>
    moveDeadline({ client: lead, path: { id: almaty.id }, body: { deadline: "2030-03-20", reason: "The partner university moved the visit." } }))).data;
  assert.equal(moved.deadline, "2030-03-20");
  assert.equal(moved.originalDeadline, "2030-03-12");
  assert.equal(moved.deadlineChanges, 1);

  // PUT and PATCH with If-Match: the ETag of the last read, then the stale one, refused as a typed 412.
  const current = await step("read Almaty", () => getInitiative({ client: lead, path: { id: almaty.id } }));
  const replaced = await step("PUT Almaty with If-Match", () =>
    updateInitiative({
      client: lead,
      path: { id: almaty.id },
      headers: { "If-Match": etag(current.response) },
      body: {
        directionId: current.data.directionId,
        ownerId: current.data.ownerId,
        title: current.data.title,
        description: "With three partner universities in Almaty.",
      },
    }));
  assert.equal(replaced.data.description, "With three partner universities in Almaty.");
  const patched = (await step("PATCH Almaty with If-Match", () =>
    patchInitiative({
      client: lead,
      path: { id: almaty.id },
      headers: { "If-Match": etag(replaced.response) },
      body: { title: "Overseas innovation center in Almaty (phase 1)" },
    }))).data;
  assert.equal(patched.title, "Overseas innovation center in Almaty (phase 1)");
  assert.equal(patched.description, "With three partner universities in Almaty.", "a merge patch leaves the fields it does not name");

  const stale: ProblemDetails | HttpValidationProblemDetails = await refused("PATCH Almaty with the stale ETag", 412, () =>
    patchInitiative({ client: lead, path: { id: almaty.id }, headers: { "If-Match": etag(replaced.response) }, body: { title: "A stale title" } }));
  assert.equal(stale.status, 412);
  assert.equal(stale.type, "https://initiative-tracker.example/problems/precondition-failed");
  assert.ok(stale.detail !== undefined && stale.detail.length > 0, "the 412 says what happened");

  // A list page, filtered by two statuses (both sent: either alone would match fewer).
  const page = (await step("list the started initiatives", () =>
    listInitiatives({ client: lead, query: { ownerId: owner.id, status: ["in_progress", "planned"], sort: "deadline", pageSize: 1 } }))).data;
  assert.equal(page.totalCount, 2);
  assert.equal(page.pageSize, 1);
  assert.deepEqual(page.items.map((i) => i.title), ["Joint master's programme with Kazakh universities"]);

  // Each report as of a fixed date: the programme is overdue by a day, Almaty due in eight.
  const asOf = "2030-03-12";
  const overdue = (await step("read the overdue report", () => overdueReport({ client: lead, query: { asOf, ownerId: owner.id } }))).data;
  assert.equal(overdue.asOf, asOf);
  assert.equal(overdue.totalCount, 1);
  const late = overdue.items[0];
  assert.ok(late !== undefined);
  assert.equal(late.initiativeId, programme.id);
  assert.equal(late.daysOverdue, 1);
  assert.equal(late.ownerEmail, "li.na@example.edu");
  assert.equal(late.health, "off_track");

  const upcoming = (await step("read the upcoming report", () => upcomingReport({ client: lead, query: { asOf, ownerId: owner.id } }))).data;
  assert.equal(upcoming.withinDays, 14);
  assert.deepEqual(upcoming.items.map((row) => [row.initiativeId, row.deadline, row.daysUntilDeadline]), [[almaty.id, "2030-03-20", 8]]);

  const progress = (await step("read the progress report", () => progressReport({ client: lead, query: { asOf, ownerId: owner.id } }))).data;
  assert.deepEqual(
    [progress.overall.total, progress.overall.inProgress, progress.overall.overdue, progress.overall.atRisk, progress.overall.offTrack],
    [2, 2, 1, 1, 1]);

  const execution = (await step("read the execution scorecard", () =>
    executionReport({ client: lead, query: { asOf, ownerId: owner.id, groupBy: "owner" } }))).data;
  assert.equal(execution.groupBy, "owner");
  const scorecard = execution.groups[0];
  assert.ok(scorecard !== undefined);
  assert.equal(scorecard.groupId, owner.id);
  assert.deepEqual([scorecard.open, scorecard.openOverdue, scorecard.deadlineChanges], [2, 1, 1]);

  const trend = (await step("read the trend report", () =>
    trendReport({ client: lead, query: { from: "2030-03-01", to: "2030-03-31", interval: "week", ownerId: owner.id } }))).data;
  assert.ok(trend.series.length > 0, "the trend has its series");

  // The same report as CSV: the document offers text/csv beside JSON; the fetch client reads it as text.
  const csv = await step("read the overdue report as CSV", () =>
    overdueReport({ client: lead, query: { asOf, ownerId: owner.id, format: "csv" }, parseAs: "text" }));
  assert.equal(csv.response.headers.get("content-type"), "text/csv; charset=utf-8");
  const csvText: unknown = csv.data;
  assert.ok(typeof csvText === "string", "the CSV arrives as text");
  const [header, row] = csvText.replace(/^\uFEFF/, "").split("\r\n");
  assert.ok(header !== undefined && header.split(",").includes("initiativeId"), "the CSV's header names the JSON fields");
  assert.ok(row !== undefined && row.startsWith(`${programme.id},`), "the CSV's row is the overdue programme");

  // A 400 whose field errors the client reads.
  const invalid = await refused("check in with progress 150", 400, () =>
    createCheckIn({ client: lead, path: { id: almaty.id }, body: { progress: 150, health: "on_track" } }));
  assert.equal(invalid.status, 400);
  // The error is typed as any of the operation's problems, not narrowed by status: a 400's errors are there
  // (the document requires them on HttpValidationProblemDetails), other problems may omit them.
  assert.ok(invalid.errors !== undefined, "a 400 is a validation problem with errors");
  const messages = invalid.errors["progress"];
  assert.ok(messages !== undefined && messages.length > 0, "errors names the field");
  assert.ok(invalid.detail !== undefined && invalid.detail.length > 0, "the 400 says what happened");

  console.log("workflow: every step passed");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
