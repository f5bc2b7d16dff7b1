// Interns channel names to dense integer ids so hot loops index typed arrays, not maps of strings.

/** A per-call channel dictionary; ids are assigned in first-seen order. */
export class ChannelIndex {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];

  idOf(channel: string): number {
    const known = this.ids.get(channel);
    if (known !== undefined) return known;
    const id = this.list.length;
    this.ids.set(channel, id);
    this.list.push(channel);
    return id;
  }

  get size(): number {
    return this.list.length;
  }

  nameOf(id: number): string {
    const name = this.list[id];
    if (name === undefined) throw new RangeError(`ChannelIndex: unknown channel id ${id}`);
    return name;
  }

  get names(): readonly string[] {
    return this.list;
  }
}
