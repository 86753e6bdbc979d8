// Platform-wide three-level categories (一级/二级/三级类目), managed by platform operators.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts';
import './tables.ts';

export interface CategoryNode {
  id: number;
  name: string;
  level: number;
  iconUrl: string | null;
  children: CategoryNode[];
}

export class CategoryService {
  constructor(private readonly ctx: AppContext) {}

  async tree(): Promise<CategoryNode[]> {
    const rows = await this.ctx.db
      .selectFrom('categories')
      .selectAll()
      .orderBy('level')
      .orderBy('position')
      .orderBy('id')
      .execute();
    const nodes = new Map<number, CategoryNode>();
    const roots: CategoryNode[] = [];
    for (const r of rows) {
      const node: CategoryNode = { id: r.id, name: r.name, level: r.level, iconUrl: r.icon_url, children: [] };
      nodes.set(r.id, node);
      if (r.parent_id === null) roots.push(node);
      else nodes.get(r.parent_id)?.children.push(node);
    }
    return roots;
  }

  async create(
    actor: Actor,
    input: {
      name: string;
      parentId?: number | null | undefined;
      position?: number | undefined;
      iconUrl?: string | undefined;
    },
  ) {
    if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    return this.createIn(this.ctx.db, input);
  }

  async createIn(
    db: Db,
    input: {
      name: string;
      parentId?: number | null | undefined;
      position?: number | undefined;
      iconUrl?: string | undefined;
    },
  ) {
    let level = 1;
    if (input.parentId) {
      const parent = await db
        .selectFrom('categories')
        .select(['level'])
        .where('id', '=', input.parentId)
        .executeTakeFirst();
      if (!parent) throw notFound('Parent category');
      if (parent.level >= 3) throw badRequest('CATEGORY_TOO_DEEP', 'Categories have at most three levels');
      level = parent.level + 1;
    }
    try {
      return await db
        .insertInto('categories')
        .values({
          name: input.name.trim(),
          parent_id: input.parentId ?? null,
          level,
          position: input.position ?? 0,
          icon_url: input.iconUrl ?? null,
        })
        .returning(['id', 'name', 'level', 'parent_id as parentId'])
        .executeTakeFirstOrThrow();
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw conflict('CATEGORY_EXISTS', 'A category with this name exists at this place');
      throw err;
    }
  }

  /** Find or create a category path like ["水果", "热带水果", "芒果"]; returns the leaf id. */
  async ensurePath(db: Db, names: string[]): Promise<number> {
    if (names.length === 0 || names.length > 3)
      throw badRequest('CATEGORY_INVALID', 'A category path has one to three levels');
    let parentId: number | null = null;
    for (const name of names) {
      const existing: { id: number } | undefined = await db
        .selectFrom('categories')
        .select('id')
        .where('name', '=', name.trim())
        .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
        .executeTakeFirst();
      parentId = existing ? existing.id : (await this.createIn(db, { name, parentId })).id;
    }
    return parentId!;
  }

  /** Find a category path without creating anything (imports by merchants may not invent categories). */
  async findPath(db: Db, names: string[]): Promise<number | null> {
    let parentId: number | null = null;
    for (const name of names) {
      const existing: { id: number } | undefined = await db
        .selectFrom('categories')
        .select('id')
        .where('name', '=', name.trim())
        .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
        .executeTakeFirst();
      if (!existing) return null;
      parentId = existing.id;
    }
    return parentId;
  }
}
