/**
 * README and docs stay true to the code: the render table lists every file
 * the render writes, and every relative link points inside the repository
 * at a file that exists (no link to a folder only some people have).
 */
import * as fs from "fs";
import * as path from "path";
import { RENDER_FILES } from "../scripts/render";
import { REPO_ROOT } from "./harness";

describe("README", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

    it("lists every file the render writes in its render table", () => {
        for (const file of RENDER_FILES) {
            expect(readme).toMatch(new RegExp(`^\\| \`${file.replace(".", "\\.")}\` \\|`, "m"));
        }
    });

    it("and the docs link only to files inside the repository that exist", () => {
        const docs = ["README.md", ...fs.readdirSync(path.join(REPO_ROOT, "docs"), { recursive: true }).map((f) => path.join("docs", String(f)))].filter((f) => f.endsWith(".md"));
        const broken = docs.flatMap((doc) =>
            [...fs.readFileSync(path.join(REPO_ROOT, doc), "utf8").matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
                .map((m) => m[1])
                .filter((target) => !/^[a-z]+:/.test(target))
                .filter((target) => {
                    const resolved = path.resolve(REPO_ROOT, path.dirname(doc), target);
                    return !resolved.startsWith(`${REPO_ROOT}${path.sep}`) || !fs.existsSync(resolved);
                })
                .map((target) => `${doc}: ${target}`),
        );
        expect(broken).toEqual([]);
    });
});
