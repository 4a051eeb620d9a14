// Writes the licence of every package npm installed for the GraphiQL build (graphiql's UMD
// bundle carries most of them inside it) to stdout, one section per package, sorted by name.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2];
const dirs = [];
for (const name of readdirSync(root)) {
  if (name.startsWith(".")) continue;
  if (name.startsWith("@")) {
    for (const sub of readdirSync(join(root, name))) dirs.push(join(root, name, sub));
  } else {
    dirs.push(join(root, name));
  }
}
const sections = [];
for (const dir of dirs) {
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest)) continue;
  const pkg = JSON.parse(readFileSync(manifest, "utf8"));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = file ? readFileSync(join(dir, file), "utf8").trim() : "(no licence file in the package)";
  sections.push(`${pkg.name} ${pkg.version} (${pkg.license ?? "no licence field"})\n\n${text}\n`);
}
sections.sort();
process.stdout.write(sections.join(`\n${"-".repeat(78)}\n\n`));
