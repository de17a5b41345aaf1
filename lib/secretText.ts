/**
 * A secret config value on its way from the config loader to the one resource
 * that uses it. Parsing stays pure (no Pulumi SDK): the component that passes
 * the value to a resource wraps it with `pulumi.secret(value.reveal())`, so it
 * is a Pulumi secret in state and in every preview. Until then it cannot leak
 * by accident: printed, logged, interpolated or serialised, it reads `[secret]`.
 */
import { inspect } from "util";

export const REDACTED = "[secret]";

export class SecretText {
    readonly #value: string;

    constructor(value: string) {
        this.#value = value;
    }

    /** The value itself: only for handing to `pulumi.secret`. */
    reveal(): string {
        return this.#value;
    }

    toString(): string {
        return REDACTED;
    }

    toJSON(): string {
        return REDACTED;
    }

    [inspect.custom](): string {
        return REDACTED;
    }
}
