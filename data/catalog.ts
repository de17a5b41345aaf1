/**
 * Dated facts of the data tier that change with time, each with its source.
 */

/**
 * The Amazon RDS certificate bundle: every root and intermediate CA that signs
 * RDS and DocumentDB server certificates, for every commercial region (one
 * file, so a region added later needs no change). AWS rotates and extends it;
 * the program fetches it on every `pulumi preview`/`up` (data/caBundle.ts), so
 * a rotation reaches the pods with the next deploy. Checked 2026-12-03 against
 * the RDS User Guide ("Using SSL/TLS to encrypt a connection to a DB
 * instance", certificate bundles by AWS Region) and the DocumentDB Developer
 * Guide ("Connecting programmatically", TLS enabled), which both name this URL.
 */
export const RDS_CA_BUNDLE = {
    asOf: "2026-12-03",
    url: "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
    /** Every certificate's subject CN starts with this; one of them names the stack's region. */
    subjectPrefix: "Amazon RDS",
} as const;
