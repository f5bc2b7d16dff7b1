// About page: dynamic, like the others.
export const dynamic = 'force-dynamic';

export default function About() {
  return <h1 id="title">About</h1>;
}
