-- counts.sql — one query set counting each object kind from pg_catalog.
-- Scope: every schema but pg_catalog / information_schema / pg_toast*, minus
-- objects that belong to an extension. load.sh runs it before and after a
-- schema.sql and prints the difference, so the platform stub's own objects
-- are not counted as the app's.
with
ns as (
  select oid from pg_namespace
  where nspname not in ('pg_catalog', 'information_schema')
    and nspname not like 'pg_toast%' and nspname not like 'pg_temp%'
),
ext as (select objid, classid from pg_depend where deptype = 'e'),
rel as (
  select c.* from pg_class c
  where c.relnamespace in (select oid from ns)
    and not exists (select 1 from ext where ext.classid = 'pg_class'::regclass and ext.objid = c.oid)
),
typ as (
  select t.* from pg_type t
  where t.typnamespace in (select oid from ns)
    and not exists (select 1 from ext where ext.classid = 'pg_type'::regclass and ext.objid = t.oid)
),
fn as (
  -- minus extension members and the constructors a range type creates (deptype 'i')
  select p.* from pg_proc p
  where p.pronamespace in (select oid from ns)
    and not exists (select 1 from ext where ext.classid = 'pg_proc'::regclass and ext.objid = p.oid)
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid
                    and d.refclassid = 'pg_type'::regclass and d.deptype = 'i')
),
att as (
  select a.*, c.relkind from pg_attribute a join rel c on c.oid = a.attrelid
  where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p')
),
seqdep as (
  select d.objid as seq, d.deptype from pg_depend d
  join rel s on s.oid = d.objid and s.relkind = 'S'
  where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
    and d.deptype in ('a', 'i')
),
idx as (
  select i.*, ic.relam from pg_index i join rel ic on ic.oid = i.indexrelid
),
idxcol as (
  select i.indexrelid, k.ord, i.indoption[k.ord - 1] as opt,
         i.indclass[k.ord - 1] as opc, i.indcollation[k.ord - 1] as coll,
         i.indkey[k.ord - 1] as attnum, i.indrelid
  from idx i, generate_series(1, i.indnkeyatts) as k(ord)
),
con as (
  select k.* from pg_constraint k
  where k.connamespace in (select oid from ns)
),
trg as (
  select t.* from pg_trigger t join pg_class c on c.oid = t.tgrelid
  where not t.tgisinternal
    and c.relnamespace in (select oid from ns)
),
kinds(ord, kind, n) as (
  values
  (1,  'tables (ordinary, incl. partitions)', (select count(*) from rel where relkind = 'r')),
  (2,  'partitioned tables', (select count(*) from rel where relkind = 'p')),
  (3,  '  partitioned by range', (select count(*) from pg_partitioned_table pt join rel on rel.oid = pt.partrelid where pt.partstrat = 'r')),
  (4,  '  partitioned by list', (select count(*) from pg_partitioned_table pt join rel on rel.oid = pt.partrelid where pt.partstrat = 'l')),
  (5,  '  partitioned by hash', (select count(*) from pg_partitioned_table pt join rel on rel.oid = pt.partrelid where pt.partstrat = 'h')),
  (6,  '  partitions', (select count(*) from rel where relispartition and relkind in ('r', 'p'))),
  (7,  '  default partitions', (select count(*) from pg_partitioned_table pt join rel on rel.oid = pt.partrelid where pt.partdefid <> 0)),
  (7.1, 'inheritance children (INHERITS, not partitions)', (select count(*) from pg_inherits i join rel c on c.oid = i.inhrelid where not c.relispartition)),
  (7.2, 'foreign tables', (select count(*) from rel where relkind = 'f')),
  (7.3, 'foreign servers', (select count(*) from pg_foreign_server)),
  (8,  'RLS enabled (r/p)', (select count(*) from rel where relkind in ('r', 'p') and relrowsecurity)),
  (9,  'RLS forced (r/p)', (select count(*) from rel where relkind in ('r', 'p') and relforcerowsecurity)),
  (10, 'policies', (select count(*) from pg_policy pol join pg_class c on c.oid = pol.polrelid where c.relnamespace in (select oid from ns))),
  (11, '  restrictive policies', (select count(*) from pg_policy pol join pg_class c on c.oid = pol.polrelid where c.relnamespace in (select oid from ns) and not pol.polpermissive)),
  (12, 'enums', (select count(*) from typ where typtype = 'e')),
  (13, 'domains', (select count(*) from typ where typtype = 'd')),
  (14, 'composite types (standalone)', (select count(*) from typ t join rel c on c.oid = t.typrelid where t.typtype = 'c' and c.relkind = 'c')),
  (15, 'range types', (select count(*) from typ where typtype = 'r')),
  (15.5, 'collations', (select count(*) from pg_collation where collnamespace in (select oid from ns))),
  (16, 'sequences', (select count(*) from rel where relkind = 'S')),
  (17, '  standalone sequences', (select count(*) from rel s where relkind = 'S' and not exists (select 1 from seqdep where seq = s.oid))),
  (18, '  owned by a column (serial / OWNED BY)', (select count(*) from seqdep where deptype = 'a')),
  (19, '  identity sequences', (select count(*) from seqdep where deptype = 'i')),
  (20, 'serial-style columns (nextval default)', (select count(*) from att a join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum where pg_get_expr(d.adbin, d.adrelid) like 'nextval(%' and not a.attrelid in (select oid from rel where relispartition))),
  (21, 'identity columns', (select count(*) from att where attidentity in ('a', 'd') and attrelid not in (select oid from rel where relispartition))),
  (22, '  GENERATED ALWAYS', (select count(*) from att where attidentity = 'a' and attrelid not in (select oid from rel where relispartition))),
  (23, '  GENERATED BY DEFAULT', (select count(*) from att where attidentity = 'd' and attrelid not in (select oid from rel where relispartition))),
  (24, 'generated (stored) columns', (select count(*) from att where attgenerated = 's' and attrelid not in (select oid from rel where relispartition))),
  (25, 'views', (select count(*) from rel where relkind = 'v')),
  (26, '  security_invoker', (select count(*) from rel where relkind = 'v' and 'security_invoker=true' = any(coalesce(reloptions, '{}')))),
  (27, '  definer (no security_invoker)', (select count(*) from rel where relkind = 'v' and not 'security_invoker=true' = any(coalesce(reloptions, '{}')))),
  (28, '  security_barrier', (select count(*) from rel where relkind = 'v' and 'security_barrier=true' = any(coalesce(reloptions, '{}')))),
  (29, '  with check option', (select count(*) from rel where relkind = 'v' and exists (select 1 from unnest(reloptions) o where o like 'check_option=%'))),
  (30, 'materialized views', (select count(*) from rel where relkind = 'm')),
  (31, 'triggers (user, excl. clones on partitions)', (select count(*) from trg where tgparentid = 0)),
  (31.5, '  cloned onto partitions', (select count(*) from trg where tgparentid <> 0)),
  (31.6, '  constraint triggers', (select count(*) from trg where tgconstraint <> 0 and tgparentid = 0)),
  (31.7, '  statement-level', (select count(*) from trg where tgtype & 1 = 0 and tgparentid = 0)),
  (31.8, '  with transition tables', (select count(*) from trg where (tgnewtable is not null or tgoldtable is not null) and tgparentid = 0)),
  (31.9, '  with a WHEN condition', (select count(*) from trg where tgqual is not null and tgparentid = 0)),
  (32, 'trigger functions', (select count(*) from fn where prorettype = 'trigger'::regtype)),
  (33, 'event triggers', (select count(*) from pg_event_trigger)),
  (34, 'event trigger functions', (select count(*) from fn where prorettype = 'event_trigger'::regtype)),
  (35, 'functions (prokind f, not trigger)', (select count(*) from fn where prokind = 'f' and prorettype not in ('trigger'::regtype, 'event_trigger'::regtype))),
  (36, '  SECURITY DEFINER', (select count(*) from fn where prokind = 'f' and prosecdef and prorettype not in ('trigger'::regtype, 'event_trigger'::regtype))),
  (37, '  SECURITY DEFINER with arguments', (select count(*) from fn where prokind = 'f' and prosecdef and pronargs > 0 and prorettype not in ('trigger'::regtype, 'event_trigger'::regtype))),
  (38, '  SECURITY DEFINER without pinned search_path', (select count(*) from fn where prosecdef and not exists (select 1 from unnest(proconfig) c where c like 'search_path=%'))),
  (38.5, '  SECURITY DEFINER trigger functions', (select count(*) from fn where prosecdef and prorettype in ('trigger'::regtype, 'event_trigger'::regtype))),
  (39, '  set-returning', (select count(*) from fn where prokind = 'f' and proretset)),
  (40, '  overloaded names (functions sharing schema+name)', (select count(*) from fn f where exists (select 1 from fn g where g.pronamespace = f.pronamespace and g.proname = f.proname and g.oid <> f.oid))),
  (41, 'procedures', (select count(*) from fn where prokind = 'p')),
  (42, 'aggregates', (select count(*) from fn where prokind = 'a')),
  (43, 'extensions (excl. plpgsql)', (select count(*) from pg_extension where extname <> 'plpgsql')),
  (44, 'primary keys', (select count(*) from con where contype = 'p' and conparentid = 0)),
  (45, 'unique constraints', (select count(*) from con where contype = 'u' and conparentid = 0)),
  (46, 'check constraints (table)', (select count(*) from con where contype = 'c' and conrelid <> 0 and conparentid = 0 and not exists (select 1 from rel where rel.oid = con.conrelid and rel.relispartition))),
  (47, 'check constraints (domain)', (select count(*) from con where contype = 'c' and contypid <> 0)),
  (48, 'foreign keys', (select count(*) from con where contype = 'f' and conparentid = 0)),
  (49, '  composite (multi-column) foreign keys', (select count(*) from con where contype = 'f' and conparentid = 0 and array_length(conkey, 1) > 1)),
  (50, 'exclusion constraints', (select count(*) from con where contype = 'x' and conparentid = 0)),
  (51, 'deferrable constraints', (select count(*) from con where condeferrable and conparentid = 0)),
  (52, '  initially deferred', (select count(*) from con where condeferred and conparentid = 0)),
  (53, 'NULLS NOT DISTINCT indexes', (select count(*) from idx where indnullsnotdistinct)),
  (54, 'indexes (all, incl. partition children)', (select count(*) from idx)),
  (55, '  unique', (select count(*) from idx where indisunique)),
  (56, '  partial (WHERE)', (select count(*) from idx where indpred is not null)),
  (57, '  expression', (select count(*) from idx where indexprs is not null)),
  (58, '  INCLUDE columns', (select count(*) from idx where indnkeyatts < indnatts)),
  (59, '  with a DESC column', (select count(*) from idx i where exists (select 1 from idxcol c where c.indexrelid = i.indexrelid and c.opt & 1 = 1))),
  (60, '  with NULLS FIRST on an ASC column', (select count(*) from idx i where exists (select 1 from idxcol c where c.indexrelid = i.indexrelid and c.opt & 3 = 2))),
  (61, '  with NULLS LAST on a DESC column', (select count(*) from idx i where exists (select 1 from idxcol c where c.indexrelid = i.indexrelid and c.opt & 3 = 1))),
  (62, '  with a non-default opclass', (select count(*) from idx i where exists (select 1 from idxcol c join pg_opclass o on o.oid = c.opc where c.indexrelid = i.indexrelid and not o.opcdefault))),
  (63, '  with an explicit collation', (select count(*) from idx i where exists (select 1 from idxcol c left join pg_attribute a on a.attrelid = c.indrelid and a.attnum = c.attnum where c.indexrelid = i.indexrelid and c.coll <> 0 and c.coll is distinct from a.attcollation and c.attnum <> 0))),
  (64, '  non-btree (gin/gist/brin/hash)', (select count(*) from idx i join pg_am am on am.oid = i.relam where am.amname <> 'btree')),
  (65, 'columns with column-level grants', (select count(*) from pg_attribute a join rel c on c.oid = a.attrelid where a.attacl is not null and c.relkind in ('r', 'p', 'v', 'm'))),
  (66, 'relations with an explicit ACL (GRANT/REVOKE ran)', (select count(*) from rel where relkind in ('r', 'p', 'v', 'm', 'S') and relacl is not null)),
  (67, 'default privileges (pg_default_acl rows)', (select count(*) from pg_default_acl)),
  (68, 'publications', (select count(*) from pg_publication)),
  (69, '  publication tables', (select count(*) from pg_publication_rel)),
  (70, 'non-default replica identity', (select count(*) from rel where relkind in ('r', 'p') and relreplident <> 'd')),
  (71, 'rules (non-SELECT)', (select count(*) from pg_rewrite r join rel c on c.oid = r.ev_class where r.rulename <> '_RETURN')),
  (72, 'comments (pg_description)', (select count(*) from pg_description d where
          (d.classoid = 'pg_class'::regclass and d.objoid in (select oid from rel))
       or (d.classoid = 'pg_proc'::regclass and d.objoid in (select oid from fn))
       or (d.classoid = 'pg_type'::regclass and d.objoid in (select oid from typ))
       or (d.classoid = 'pg_namespace'::regclass and d.objoid in (select oid from ns))
       or (d.classoid = 'pg_policy'::regclass)
       or (d.classoid = 'pg_constraint'::regclass and d.objoid in (select oid from con))
       or (d.classoid = 'pg_trigger'::regclass and d.objoid in (select oid from trg))
       or d.classoid = 'pg_event_trigger'::regclass)),
  (73, 'schemas (non-system)', (select count(*) from pg_namespace where oid in (select oid from ns) and nspname <> 'public'))
)
select ord, kind, n from kinds order by ord;
