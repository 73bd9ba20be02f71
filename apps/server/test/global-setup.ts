/** Replaced below once the database layer exists. */
export default function setup(): void {}
