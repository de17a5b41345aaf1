import { iamSchemaSnapshot } from "./iamSchemaSnapshot";

const ADMIN = "INSERT INTO `user` VALUES (1,'x','admin',1,'admin','$2a$10$WnQD2DCfWVhlGmkQ8pdLkesIGPf9KJB7N1mhSOqulbgN7ZMo44Mv2','a@b.c',NULL,1,'{}',now(),now(),now());";
const USER = [
    "DROP TABLE IF EXISTS `user`;",
    "CREATE TABLE `user` (",
    "  `id` int NOT NULL AUTO_INCREMENT,",
    "  PRIMARY KEY (`id`)",
    ") ENGINE=InnoDB AUTO_INCREMENT=38 DEFAULT CHARSET=utf8;",
];

describe("the schema snapshot generator (scripts/iamSchemaSnapshot.ts)", () => {
    it("turns a dump's drop-and-create into create-if-absent, without the dump's counters, and its inserts into INSERT IGNORE", () => {
        const snapshot = iamSchemaSnapshot([...USER, ADMIN].join("\n"), { tag: "vX" });
        expect(snapshot.statements.map((s) => s.sql)).toEqual([
            "CREATE TABLE IF NOT EXISTS `user` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8",
            ADMIN.replace("INSERT INTO", "INSERT IGNORE INTO").replace(/;$/, ""),
        ]);
        expect(snapshot.publishedAdminHash).toBe("$2a$10$WnQD2DCfWVhlGmkQ8pdLkesIGPf9KJB7N1mhSOqulbgN7ZMo44Mv2");
    });

    it("stops on a statement it cannot make create-only (a new release's ALTER, view or routine needs a decision)", () => {
        expect(() => iamSchemaSnapshot([...USER, ADMIN, "ALTER TABLE `user` DROP COLUMN `phone`;"].join("\n"), { tag: "vX" })).toThrow(
            "vX: a statement the snapshot does not know how to make create-only",
        );
        expect(() => iamSchemaSnapshot([...USER, ADMIN, "TRUNCATE TABLE `user`;"].join("\n"), { tag: "vX" })).toThrow("does not know how to make create-only");
    });

    it("stops when the dump drops a table it never creates again, or has no admin with a bcrypt hash", () => {
        expect(() => iamSchemaSnapshot([...USER, ADMIN, "DROP TABLE IF EXISTS `old`;"].join("\n"), { tag: "vX" })).toThrow("the dump drops old without creating it again");
        expect(() => iamSchemaSnapshot(USER.join("\n"), { tag: "vX" })).toThrow("no admin user with a bcrypt hash");
    });
});
