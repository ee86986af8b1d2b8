-- Stand-in, for dev databases only, for Supabase's `storage` schema as the
-- Storage service leaves it: buckets, the objects in them (RLS enabled, no
-- policies: a project adds its own on storage.objects), and the path helpers
-- those policies call. Written from Supabase's documented definitions, not
-- copied from them; the service's migrations table, search functions and
-- multipart uploads are left out. Runs after roles.sql.
--
-- Idempotent (IF NOT EXISTS / OR REPLACE); owned by supabase_storage_admin, as
-- on the platform.
create schema if not exists storage authorization supabase_storage_admin;
grant usage on schema storage to anon, authenticated, service_role;

create table if not exists storage.buckets (
    id text not null primary key,
    name text not null,
    owner uuid,                 -- deprecated by Supabase in favour of owner_id
    owner_id text,
    public boolean default false,
    avif_autodetection boolean default false,
    file_size_limit bigint,
    allowed_mime_types text[],
    created_at timestamptz default now(),
    updated_at timestamptz default now()
);
create unique index if not exists bname on storage.buckets (name);

create table if not exists storage.objects (
    id uuid not null default gen_random_uuid() primary key,
    bucket_id text references storage.buckets (id),
    -- the object's path inside its bucket: 'folder/sub/file.ext'
    name text,
    owner uuid,                 -- deprecated by Supabase in favour of owner_id
    owner_id text,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    last_accessed_at timestamptz default now(),
    metadata jsonb,
    user_metadata jsonb,
    version text,
    path_tokens text[] generated always as (string_to_array(name, '/')) stored
);
create unique index if not exists bucketid_objname on storage.objects (bucket_id, name);
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);

alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
-- Storage queries as the caller's role, so RLS decides: with no policy, nobody
-- but service_role (BYPASSRLS) sees a bucket or an object.
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
grant all on storage.buckets to anon, authenticated, service_role;
grant all on storage.objects to anon, authenticated, service_role;

-- Path helpers for policies on storage.objects, e.g.
--   (storage.foldername(name))[1] = (select auth.uid())::text
-- 'a/b/c.pdf' → {a,b}; a name without a folder → {}.
create or replace function storage.foldername(name text) returns text[]
    language sql immutable
    as $$
        select coalesce(
            (string_to_array(name, '/'))[1:cardinality(string_to_array(name, '/')) - 1],
            '{}'
        )
    $$;

-- 'a/b/c.pdf' → 'c.pdf'
create or replace function storage.filename(name text) returns text
    language sql immutable
    as $$ select (string_to_array(name, '/'))[cardinality(string_to_array(name, '/'))] $$;

-- 'a/b/c.tar.gz' → 'gz'
create or replace function storage.extension(name text) returns text
    language sql immutable
    as $$ select reverse(split_part(reverse(storage.filename(name)), '.', 1)) $$;

alter function storage.foldername(text) owner to supabase_storage_admin;
alter function storage.filename(text) owner to supabase_storage_admin;
alter function storage.extension(text) owner to supabase_storage_admin;
