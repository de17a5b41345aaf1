/**
 * Warnings (not errors) about values left over from the examples: the
 * documentation domains of RFC 2606 (example.com, .org, .net), the
 * documentation networks of RFC 5737 (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24) and example account ids (EXAMPLE_ACCOUNT). A stack
 * with them is valid and renders, but deploys nothing anyone can use. Pure.
 */
import { issuePath } from "./configSchema";

const EXAMPLE_DOMAIN = /(^|[.@])example\.(com|org|net)$/;
const EXAMPLE_NETWORK = /^(192\.0\.2|198\.51\.100|203\.0\.113)\./;
/** AWS's documentation accounts (123456789012, and 111122223333 and 444455556666 of the IAM User Guide's examples). */
const EXAMPLE_ACCOUNT = /(^|:)(123456789012|111122223333|444455556666)(:|$)/;
/** The second account this repository's example files use (registry/Pulumi.shared.yaml's pull account). */
const PLACEHOLDER_ACCOUNT = /(^|:)210987654321(:|$)/;

/** What makes `text` an example value, or undefined. */
export function exampleValueKind(text: string): string | undefined {
    if (EXAMPLE_DOMAIN.test(text)) return "a documentation domain (RFC 2606)";
    if (EXAMPLE_NETWORK.test(text)) return "a documentation network (RFC 5737)";
    if (EXAMPLE_ACCOUNT.test(text)) return "AWS's documentation account id";
    if (PLACEHOLDER_ACCOUNT.test(text)) return "this repository's placeholder account id";
    return undefined;
}

/** One warning per string value under `values` that is an example value, by its YAML path. */
export function exampleValueWarnings(values: unknown, path: PropertyKey[] = []): string[] {
    // A quoted account id in a top-level key reaches the program as a number (Pulumi passes config as text, read as JSON).
    if (typeof values === "number" && Number.isSafeInteger(values)) {
        return exampleValueWarnings(String(values), path);
    }
    if (typeof values === "string") {
        const kind = exampleValueKind(values);
        return kind ? [`${issuePath(path)} (${values}) is ${kind}: replace it with your own before deploying`] : [];
    }
    if (Array.isArray(values)) {
        return values.flatMap((v, i) => exampleValueWarnings(v, [...path, i]));
    }
    if (typeof values === "object" && values !== null) {
        return Object.entries(values).flatMap(([k, v]) => exampleValueWarnings(v, [...path, k]));
    }
    return [];
}
