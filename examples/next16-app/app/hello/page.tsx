// Hello-world page of the overhead bench (bench/next-overhead.mjs): static, prerendered by next build, the cheapest page Next.js serves.
export default function Hello() {
  return <h1 id="title">Hello, world</h1>;
}
