// A small program a frontend developer would write against the types generated from openapi.yaml.
// It is only type-checked (tsc --strict --noEmit), never run: if the document describes a response
// loosely, reading it here needs a cast, and the check fails. No `as`, no `any`, no `!`.
import type { components, paths } from "./generated/openapi";

type Schemas = components["schemas"];

/** The application/json body of a response, as the document describes it. */
type JsonBody<Response> = Response extends { content: { "application/json": infer Body } } ? Body : never;

/** The application/problem+json body of a response. */
type ProblemBody<Response> = Response extends { content: { "application/problem+json": infer Body } } ? Body : never;

/** The JSON body of a GET's 200 on path P. */
type Ok<P extends keyof paths> = paths[P] extends { get: { responses: { 200: infer Response } } } ? JsonBody<Response> : never;

/** The query a GET on path P takes. */
type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

/** Any JSON value, for display. */
function show(value: unknown): string {
    return value === undefined ? "(absent)" : JSON.stringify(value);
}

// A list page: its items and the total over all pages.
export function describeInitiativePage(page: Ok<"/api/v1/initiatives">): string[] {
    const lines = page.items.map((initiative) =>
        `#${initiative.id} ${initiative.title}: ${initiative.status}, ${initiative.progress}%, due ${initiative.deadline}`);
    lines.push(`page ${page.page} of ${Math.ceil(page.totalCount / page.pageSize)} (${page.totalCount} in all)`);
    return lines;
}

// One initiative, derived fields included.
export function describeInitiative(initiative: Ok<"/api/v1/initiatives/{id}">): string {
    const late = initiative.isOverdue ? `${initiative.daysOverdue} days overdue` : `due in ${initiative.daysUntilDeadline ?? "-"} days`;
    const moved = initiative.deadlineChanges > 0 ? `, moved ${initiative.deadlineChanges} times from ${initiative.originalDeadline}` : "";
    const lastCheckIn = initiative.lastCheckInAt === null ? "no check-in yet" : `last check-in ${new Date(initiative.lastCheckInAt).toISOString()}`;
    const health: Schemas["Health"] = initiative.health;
    return `${initiative.title} (version ${initiative.version}): ${late}${moved}; ${health}; ${lastCheckIn}`;
}

// The audit trail of an initiative: each changed field's value before and after.
export function describeAudit(page: Ok<"/api/v1/audit">): string[] {
    return page.items.flatMap((entry) =>
        Object.entries(entry.changes).map(([field, change]) =>
            `${entry.occurredAt} ${entry.actor} ${entry.action} ${entry.entityType} ${entry.entityId}: ${field} ${show(change.before)} -> ${show(change.after)}`));
}

// The deadline move of one audit entry, looked up by field name.
export function deadlineMove(entry: Schemas["AuditEntryResponse"]): string | undefined {
    const change = entry.changes["deadline"];
    return change === undefined ? undefined : `${show(change.before)} -> ${show(change.after)}`;
}

// Each report's rows.
export function describeOverdue(report: Ok<"/api/v1/reports/overdue">): string[] {
    const rows = report.items.map((row) =>
        `${row.title} (${row.ownerName}, direction ${row.directionNumber}): ${row.daysOverdue} days late, ${row.progress}%, ` +
        `last check-in ${row.daysSinceLastCheckIn === null ? "never" : `${row.daysSinceLastCheckIn} days ago`}`);
    const groups = (report.groups ?? []).map((group) => `${group.groupName}: ${group.count}`);
    return [`as of ${report.asOf} (${report.timeZone}): ${report.totalCount} overdue`, ...rows, ...groups];
}

export function describeUpcoming(report: Ok<"/api/v1/reports/upcoming">): string[] {
    return report.items.map((row) =>
        `${row.title} (${row.ownerName}): due ${row.deadline}, in ${row.daysUntilDeadline} days of ${report.withinDays}, ${row.status}`);
}

export function describeProgress(report: Ok<"/api/v1/reports/progress">): string[] {
    const describe = (row: Schemas["ProgressRow"]): string =>
        `${row.scope} ${row.directionNumber ?? ""} ${row.directionTitle ?? "overall"}: ${row.total} initiatives, ` +
        `${row.done} done, ${row.overdue} overdue, mean progress ${row.meanProgress?.toFixed(1) ?? "-"}, ` +
        `on time ${row.onTimeRate === null ? "-" : `${Math.round(row.onTimeRate * 100)}%`}`;
    return [...report.directions.map(describe), describe(report.overall)];
}

export function describeExecution(report: Ok<"/api/v1/reports/execution">): string[] {
    return report.groups.map((row) =>
        `${report.groupBy} ${row.groupName}: ${row.completedOnTime}/${row.completed} on time ` +
        `(${row.completedByOriginalDeadline} by the original deadline), median ${row.medianDaysLate ?? 0} days late, ` +
        `${row.openOverdue}/${row.open} open overdue, ${row.staleInitiatives} stale, ${row.deadlineChanges} deadline moves`);
}

// A 400: the detail and each field's messages.
export function describeValidationProblem(
    problem: ProblemBody<paths["/api/v1/initiatives"]["post"]["responses"][400]>): string[] {
    return [`${problem.status} ${problem.title}: ${problem.detail}`,
        ...Object.entries(problem.errors).map(([field, messages]) => `${field}: ${messages.join(" ")}`)];
}

// What requests may say. Each @ts-expect-error line must be refused by the types, or tsc reports the
// directive as unused: the document must constrain these values as the server does.
export const checkIn: Schemas["CreateCheckInCommand"] = { progress: 40, health: "at_risk", note: "Partner visit moved." };
// @ts-expect-error health is required and not null (the server answers 400 for a missing or null health)
export const checkInWithoutHealth: Schemas["CreateCheckInCommand"] = { progress: 40, health: null };

export const leadKey: Schemas["CreateApiKeyCommand"] = { name: "li-na-scripts", role: "lead", ownerId: 7, expiresAt: "2026-03-13T02:00:00Z" };
// @ts-expect-error role is required and not null
export const keyWithoutRole: Schemas["CreateApiKeyCommand"] = { name: "nameless-role", role: null };

export const overdueQuery: Query<"/api/v1/reports/overdue"> = { asOf: "2026-03-10", groupBy: "owner", format: "json", page: 1, pageSize: 50 };
// @ts-expect-error groupBy is owner, taskForce or direction
export const overdueByTeam: Query<"/api/v1/reports/overdue"> = { groupBy: "team" };
// @ts-expect-error format is json or csv
export const overdueAsXml: Query<"/api/v1/reports/overdue"> = { format: "xml" };

export const auditQuery: Query<"/api/v1/audit"> = { entityType: "initiative", entityId: 1 };
// @ts-expect-error entityType is one of the entity names the audit trail records
export const auditOfTeams: Query<"/api/v1/audit"> = { entityType: "team" };

export const listQuery: Query<"/api/v1/initiatives"> = { status: ["planned", "in_progress"], health: ["at_risk"], overdue: true, sort: "deadline,-updatedAt" };
// @ts-expect-error status values are the workflow's
export const listOfLateOnes: Query<"/api/v1/initiatives"> = { status: ["late"] };
