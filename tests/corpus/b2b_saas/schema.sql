-- Ledgerly — a B2B project-and-billing SaaS after its migrations
-- (V1__init … V37__usage_partitions), dumped in dependency order.
--
-- Tenancy: every business row carries organization_id. The API logs in as
-- saas_api and, per request, SET LOCALs
--   app.user_id  — the authenticated user (from the session cookie), and
--   app.org_id   — the organization in the URL (/orgs/:org/...),
-- and the database itself checks that app.user_id is a member of app.org_id
-- (app.current_org_id()). RLS is enabled and forced on every tenant table;
-- SECURITY DEFINER helpers run as saas_definer, which bypasses RLS.
--
-- Holes are planted on purpose; see README.md ("Known holes").

-- ===================================================================== roles
do $roles$
begin
  if not exists (select 1 from pg_roles where rolname = 'saas_migrator') then
    create role saas_migrator nologin;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'saas_definer') then
    create role saas_definer nologin bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'saas_api') then
    create role saas_api nologin;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'saas_analytics') then
    create role saas_analytics nologin;
  end if;
exception when unique_violation or duplicate_object then null;
end
$roles$;

create extension if not exists citext;
create extension if not exists pgcrypto;
create extension if not exists btree_gist;

create schema app authorization saas_migrator;
comment on schema app is 'Request-context helpers and RPCs; tables live in public.';
grant create on schema public to saas_migrator;
grant usage on schema app to saas_api, saas_analytics;

set role saas_migrator;

-- Every table the migrator creates in public is granted to the API role.
alter default privileges for role saas_migrator in schema public
  grant select, insert, update, delete on tables to saas_api;
alter default privileges for role saas_migrator in schema public
  grant usage on sequences to saas_api;

-- ===================================================================== types

create domain public.email_address as citext
  check (value ~ '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$');
comment on domain public.email_address is 'An e-mail address, case-insensitive, loosely validated.';

create type public.membership_role as enum ('owner', 'admin', 'member');
create type public.task_status as enum ('todo', 'in_progress', 'blocked', 'done');
create type public.invoice_status as enum ('draft', 'open', 'paid', 'void', 'uncollectible');

create type public.money_amount as (currency char(3), cents bigint);
comment on type public.money_amount is 'An amount in minor units with its ISO 4217 currency.';

-- ===================================================================== context helpers

create function app.current_user_id() returns uuid
  language sql stable
as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;

-- ===================================================================== identity

create table public.organizations (
  id             uuid primary key default gen_random_uuid(),
  slug           text not null,
  name           text not null,
  billing_email  public.email_address,
  plan           text not null default 'trial' check (plan in ('trial', 'team', 'business', 'enterprise')),
  trial_ends_at  timestamptz default now() + interval '14 days',
  suspended_at   timestamptz,
  created_at     timestamptz not null default now(),
  constraint organizations_slug_format check (slug ~ '^[a-z0-9-]+$' and length(slug) between 2 and 48)
);
create unique index organizations_slug_key on public.organizations (slug);

create table public.users (
  id              uuid primary key default gen_random_uuid(),
  email           public.email_address not null,
  display_name    text not null,
  avatar_url      text,
  password_hash   text,
  mfa_secret      text,
  last_login_at   timestamptz,
  created_at      timestamptz not null default now(),
  constraint users_display_name_not_blank check (length(btrim(display_name)) > 0)
);
create unique index users_email_lower_key on public.users (lower(email::text));
comment on column public.users.password_hash is 'argon2id; never granted to saas_api.';

create table public.memberships (
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  user_id          uuid not null references public.users (id) on delete cascade,
  role             public.membership_role not null default 'member',
  created_at       timestamptz not null default now(),
  primary key (organization_id, user_id)
);
create index memberships_user_id_idx on public.memberships (user_id) include (organization_id, role);

-- The request's organization, if and only if the request's user belongs to it.
create function app.current_org_id() returns uuid
  language sql stable security definer set search_path = pg_catalog, pg_temp
as $$
  select m.organization_id from public.memberships m
  where m.organization_id = nullif(current_setting('app.org_id', true), '')::uuid
    and m.user_id = nullif(current_setting('app.user_id', true), '')::uuid
$$;
comment on function app.current_org_id() is 'The organization of the current request, verified against memberships; NULL when the user is not a member.';

create function app.current_role_in_org() returns public.membership_role
  language sql stable security definer set search_path = pg_catalog, pg_temp
as $$
  select m.role from public.memberships m
  where m.organization_id = (select app.current_org_id())
    and m.user_id = (select app.current_user_id())
$$;

create table public.invitations (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  email            public.email_address not null,
  role             public.membership_role not null default 'member',
  token_hash       bytea not null unique,
  invited_by       uuid references public.users (id) on delete set null,
  expires_at       timestamptz not null default now() + interval '72 hours',
  accepted_at      timestamptz,
  accepted_by      uuid references public.users (id) on delete set null,
  created_at       timestamptz not null default now(),
  constraint invitations_not_owner check (role <> 'owner'),
  constraint invitations_accept_pair check ((accepted_at is null) = (accepted_by is null))
);
create unique index invitations_pending_email_key
  on public.invitations (organization_id, lower(email::text)) where accepted_at is null;
create index invitations_expires_at_idx on public.invitations (expires_at) where accepted_at is null;

create table public.api_keys (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  name             text not null,
  prefix           text not null,
  key_hash         bytea not null,
  scopes           text[] not null default array['read'],
  created_by       uuid references public.users (id) on delete set null,
  last_used_at     timestamptz,
  expires_at       timestamptz,
  revoked_at       timestamptz,
  created_at       timestamptz not null default now(),
  constraint api_keys_prefix_format check (prefix ~ '^lk_(live|test)_[A-Za-z0-9]{8}$'),
  constraint api_keys_scopes_known check (scopes <@ array['read', 'write', 'billing', 'admin'])
);
create unique index api_keys_prefix_key on public.api_keys (prefix text_pattern_ops);
create index api_keys_organization_id_idx on public.api_keys (organization_id) where revoked_at is null;
comment on column public.api_keys.key_hash is 'sha256 of the full key; the key itself is shown once.';

-- ===================================================================== work

create table public.projects (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  slug             text not null,
  name             text not null,
  description      text,
  archived_at      timestamptz,
  created_by       uuid references public.users (id) on delete set null,
  created_at       timestamptz not null default now(),
  unique (organization_id, id),
  constraint projects_slug_format check (slug ~ '^[a-z0-9-]+$')
);
create unique index projects_slug_key on public.projects (slug);
create index projects_org_name_idx on public.projects (organization_id, name collate "C") where archived_at is null;

create table public.tasks (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null,
  project_id       uuid not null,
  number           integer not null,
  title            text not null,
  body             text,
  status           public.task_status not null default 'todo',
  assignee_id      uuid references public.users (id) on delete set null,
  estimate_points  smallint check (estimate_points between 0 and 100),
  sort_key         numeric not null default 0,
  due_on           date,
  deleted_at       timestamptz,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (organization_id, id),
  constraint tasks_project_fk foreign key (organization_id, project_id)
    references public.projects (organization_id, id) on delete cascade,
  constraint tasks_number_key unique (project_id, number) deferrable initially immediate
);
create index tasks_org_status_idx on public.tasks (organization_id, status) where deleted_at is null;
create index tasks_assignee_due_idx on public.tasks (assignee_id, due_on nulls last) where deleted_at is null;
create index tasks_project_sort_idx on public.tasks (project_id, sort_key desc);

create table public.task_comments (
  id               bigint generated always as identity primary key,
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  task_id          uuid not null references public.tasks (id) on delete cascade,
  author_id        uuid references public.users (id) on delete set null,
  body             text not null,
  created_at       timestamptz not null default now(),
  edited_at        timestamptz
);
create index task_comments_org_task_idx on public.task_comments (organization_id, task_id, created_at);

create table public.labels (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  project_id       uuid,
  name             text not null,
  color            text not null default '#6b7280' check (color ~ '^#[0-9a-f]{6}$'),
  constraint labels_project_fk foreign key (organization_id, project_id)
    references public.projects (organization_id, id) on delete cascade,
  unique (organization_id, id),
  constraint labels_name_key unique nulls not distinct (organization_id, project_id, name)
);

create table public.task_labels (
  organization_id  uuid not null,
  task_id          uuid not null,
  label_id         uuid not null,
  primary key (task_id, label_id),
  foreign key (organization_id, label_id) references public.labels (organization_id, id) on delete cascade,
  foreign key (organization_id, task_id) references public.tasks (organization_id, id) on delete cascade
);
create index task_labels_org_idx on public.task_labels (organization_id);

-- ===================================================================== billing

create sequence public.invoice_number_seq start 1000;
comment on sequence public.invoice_number_seq is 'Global invoice numbering (INV-001000, ...), shared by all organizations.';

create table public.subscriptions (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  plan             text not null,
  seats            integer not null check (seats > 0),
  price            public.money_amount not null,
  period           tstzrange not null,
  canceled_at      timestamptz,
  constraint subscriptions_no_overlap exclude using gist (organization_id with =, period with &&)
);

create table public.invoices (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references public.organizations (id) on delete restrict,
  subscription_id  uuid references public.subscriptions (id) on delete set null,
  number           text not null unique default 'INV-' || lpad(nextval('public.invoice_number_seq')::text, 6, '0'),
  status           public.invoice_status not null default 'draft',
  currency         char(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  period_start     date not null,
  period_end       date not null,
  issued_at        timestamptz,
  due_at           timestamptz,
  paid_at          timestamptz,
  total_cents      bigint not null default 0,
  created_at       timestamptz not null default now(),
  unique (organization_id, id),
  constraint invoices_period check (period_end > period_start)
);
create index invoices_org_issued_idx on public.invoices (organization_id, issued_at desc nulls last);

create table public.invoice_lines (
  id                bigint generated by default as identity primary key,
  organization_id   uuid not null,
  invoice_id        uuid not null,
  description       text not null,
  quantity          numeric(12, 3) not null check (quantity >= 0),
  unit_price_cents  bigint not null,
  amount_cents      bigint generated always as (round(quantity * unit_price_cents)::bigint) stored,
  foreign key (organization_id, invoice_id) references public.invoices (organization_id, id)
    on delete cascade deferrable initially deferred
);
create index invoice_lines_invoice_idx on public.invoice_lines (organization_id, invoice_id);

-- Metered usage, one partition per month, created by app.create_usage_partition.
create table public.usage_events (
  organization_id  uuid not null,
  occurred_at      timestamptz not null,
  metric           text not null,
  quantity         bigint not null default 1,
  api_key_id       uuid,
  idempotency_key  text not null,
  primary key (organization_id, occurred_at, idempotency_key)
) partition by range (occurred_at);
create index usage_events_occurred_brin on public.usage_events using brin (occurred_at);

-- Audit trail, one partition per month.
create table public.audit_logs (
  id               bigserial,
  organization_id  uuid not null,
  actor_id         uuid,
  action           text not null,
  entity_type      text not null,
  entity_id        text,
  before           jsonb,
  after            jsonb,
  ip               inet,
  created_at       timestamptz not null default now(),
  primary key (id, created_at),
  constraint audit_logs_action_format check (action ~ '^[a-z_]+\.[a-z_]+$')
) partition by range (created_at);
create index audit_logs_org_created_idx on public.audit_logs (organization_id, created_at desc);

create table public.audit_logs_2024_10 partition of public.audit_logs
  for values from ('2024-10-01') to ('2024-11-01');
create table public.audit_logs_2024_11 partition of public.audit_logs
  for values from ('2024-11-01') to ('2024-12-01');
create table public.audit_logs_2024_12 partition of public.audit_logs
  for values from ('2024-12-01') to ('2025-01-01');
create table public.audit_logs_default partition of public.audit_logs default;

-- ===================================================================== functions

create function public.touch_updated_at() returns trigger
  language plpgsql
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger tasks_touch before update on public.tasks
  for each row execute function public.touch_updated_at();

create function public.assign_task_number() returns trigger
  language plpgsql
as $$
begin
  if new.number is null then
    select coalesce(max(number), 0) + 1 into new.number
    from public.tasks where project_id = new.project_id;
  end if;
  return new;
end
$$;

create trigger tasks_assign_number before insert on public.tasks
  for each row execute function public.assign_task_number();

-- Audit rows are written by this trigger only; clients have no INSERT on audit_logs.
create function app.write_audit_log() returns trigger
  language plpgsql security definer set search_path = pg_catalog, pg_temp
as $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
begin
  insert into public.audit_logs (organization_id, actor_id, action, entity_type, entity_id, before, after)
  values ((v_row ->> 'organization_id')::uuid,
          nullif(current_setting('app.user_id', true), '')::uuid,
          tg_table_name || '.' || lower(tg_op),
          tg_table_name,
          v_row ->> 'id',
          case when tg_op <> 'INSERT' then to_jsonb(old) end,
          case when tg_op <> 'DELETE' then to_jsonb(new) end);
  return coalesce(new, old);
end
$$;

create trigger projects_audit after insert or update or delete on public.projects
  for each row execute function app.write_audit_log();
create trigger invoices_audit after insert or update or delete on public.invoices
  for each row execute function app.write_audit_log();
create trigger api_keys_audit after insert or update of revoked_at or delete on public.api_keys
  for each row execute function app.write_audit_log();
create trigger memberships_audit after insert or update or delete on public.memberships
  for each row execute function app.write_audit_log();

create function app.recalc_invoice_total() returns trigger
  language plpgsql
as $$
begin
  update public.invoices i
     set total_cents = (select coalesce(sum(l.amount_cents), 0) from public.invoice_lines l
                        where l.invoice_id = i.id)
   where i.id = coalesce(new.invoice_id, old.invoice_id);
  return null;
end
$$;

create trigger invoice_lines_total after insert or update or delete on public.invoice_lines
  for each row execute function app.recalc_invoice_total();

-- API key authentication (called before any org context exists).
create function app.authenticate_api_key(p_token text)
  returns table (organization_id uuid, api_key_id uuid, scopes text[])
  language sql security definer set search_path = pg_catalog, pg_temp
as $$
  update public.api_keys k
     set last_used_at = now()
   where k.prefix = left(p_token, 16)
     and k.key_hash = public.digest(p_token, 'sha256')
     and k.revoked_at is null
     and (k.expires_at is null or k.expires_at > now())
  returning k.organization_id, k.id, k.scopes
$$;

-- Accept an invitation with the token from the e-mail, as the signed-in user.
create function app.accept_invitation(p_token text) returns uuid
  language plpgsql security definer set search_path = pg_catalog, pg_temp
as $$
declare
  v_inv public.invitations;
  v_user uuid := nullif(current_setting('app.user_id', true), '')::uuid;
begin
  select * into v_inv from public.invitations i
   where i.token_hash = public.digest(p_token, 'sha256')
     and i.accepted_at is null and i.expires_at > now()
     and lower(i.email::text) = (select lower(u.email::text) from public.users u where u.id = v_user)
   for update;
  if not found then
    raise exception 'invalid or expired invitation' using errcode = '28000';
  end if;
  insert into public.memberships (organization_id, user_id, role)
  values (v_inv.organization_id, v_user, v_inv.role)
  on conflict (organization_id, user_id) do nothing;
  update public.invitations set accepted_at = now(), accepted_by = v_user where id = v_inv.id;
  return v_inv.organization_id;
end
$$;

-- Usage totals for the billing page.
create function app.org_usage_summary(p_org uuid, p_from timestamptz, p_to timestamptz)
  returns table (metric text, total bigint)
  language sql stable security definer
as $$
  select e.metric, sum(e.quantity)::bigint
  from public.usage_events e
  where e.organization_id = p_org and e.occurred_at >= p_from and e.occurred_at < p_to
  group by e.metric
  order by e.metric
$$;

-- Same, for the current organization only (the dashboard widget).
create function app.org_usage_summary(p_from timestamptz, p_to timestamptz)
  returns table (metric text, total bigint)
  language sql stable security invoker
as $$
  select e.metric, sum(e.quantity)::bigint
  from public.usage_events e
  where e.occurred_at >= p_from and e.occurred_at < p_to
  group by e.metric
  order by e.metric
$$;

-- Monthly usage partitions, each with its own RLS (a partition named
-- directly is checked against its own policies, not its parent's).
create procedure app.create_usage_partition(p_month date)
  language plpgsql
as $$
declare
  v_from date := date_trunc('month', p_month)::date;
  v_name text := format('usage_events_%s', to_char(p_month, 'YYYY_MM'));
begin
  execute format('create table if not exists public.%I partition of public.usage_events for values from (%L) to (%L)',
                 v_name, v_from, (v_from + interval '1 month')::date);
  execute format('alter table public.%I enable row level security', v_name);
  execute format('alter table public.%I force row level security', v_name);
  if not exists (select 1 from pg_policy where polrelid = format('public.%I', v_name)::regclass
                 and polname = 'usage_events_tenant') then
    execute format('create policy usage_events_tenant on public.%I to saas_api using (organization_id = (select app.current_org_id()))', v_name);
  end if;
end
$$;

call app.create_usage_partition('2024-10-01');
call app.create_usage_partition('2024-11-01');
call app.create_usage_partition('2024-12-01');
call app.create_usage_partition('2025-01-01');

create table public.usage_events_default partition of public.usage_events default;
alter table public.usage_events_default enable row level security;
alter table public.usage_events_default force row level security;
create policy usage_events_tenant on public.usage_events_default to saas_api
  using (organization_id = (select app.current_org_id()));

-- ===================================================================== views

create view public.open_tasks with (security_invoker = true, security_barrier = true) as
  select t.id, t.organization_id, t.project_id, p.slug as project_slug, t.number, t.title,
         t.status, t.assignee_id, t.due_on
  from public.tasks t
  join public.projects p on p.organization_id = t.organization_id and p.id = t.project_id
  where t.deleted_at is null and t.status <> 'done' and p.archived_at is null;

-- Updatable: the "My tasks" screen edits through it; the check option keeps
-- an edit from handing the task to someone else.
create view public.my_assigned_tasks with (security_invoker = true) as
  select id, organization_id, project_id, number, title, body, status, assignee_id, due_on, sort_key
  from public.tasks
  where assignee_id = (select app.current_user_id()) and deleted_at is null
  with local check option;

-- ===================================================================== RLS

alter table public.organizations enable row level security;
alter table public.users enable row level security;
alter table public.memberships enable row level security;
alter table public.invitations enable row level security;
alter table public.api_keys enable row level security;
alter table public.projects enable row level security;
alter table public.tasks enable row level security;
alter table public.task_comments enable row level security;
alter table public.labels enable row level security;
alter table public.task_labels enable row level security;
alter table public.subscriptions enable row level security;
alter table public.invoices enable row level security;
alter table public.invoice_lines enable row level security;
alter table public.usage_events enable row level security;
alter table public.audit_logs enable row level security;

alter table public.organizations force row level security;
alter table public.users force row level security;
alter table public.memberships force row level security;
alter table public.invitations force row level security;
alter table public.api_keys force row level security;
alter table public.projects force row level security;
alter table public.tasks force row level security;
alter table public.task_comments force row level security;
alter table public.labels force row level security;
alter table public.task_labels force row level security;
alter table public.subscriptions force row level security;
alter table public.invoices force row level security;
alter table public.invoice_lines force row level security;
alter table public.usage_events force row level security;
alter table public.audit_logs force row level security;

create policy organizations_member on public.organizations for select to saas_api
  using (id in (select m.organization_id from public.memberships m
                where m.user_id = (select app.current_user_id())));
create policy organizations_admin_update on public.organizations for update to saas_api
  using (id = (select app.current_org_id()) and (select app.current_role_in_org()) in ('owner', 'admin'));

create policy users_self_or_colleague on public.users for select to saas_api
  using (id = (select app.current_user_id())
         or id in (select m.user_id from public.memberships m
                   where m.organization_id = (select app.current_org_id())));
create policy users_self_update on public.users for update to saas_api
  using (id = (select app.current_user_id()));

create policy memberships_read on public.memberships for select to saas_api
  using (organization_id = (select app.current_org_id()) or user_id = (select app.current_user_id()));
create policy memberships_join on public.memberships for insert to saas_api
  with check (user_id = (select app.current_user_id()));
create policy memberships_admin_write on public.memberships for update to saas_api
  using (organization_id = (select app.current_org_id()) and (select app.current_role_in_org()) in ('owner', 'admin'));
create policy memberships_admin_delete on public.memberships for delete to saas_api
  using (organization_id = (select app.current_org_id())
         and ((select app.current_role_in_org()) in ('owner', 'admin') or user_id = (select app.current_user_id())));

create policy invitations_tenant on public.invitations for all to saas_api
  using (organization_id = (select app.current_org_id()))
  with check (organization_id = (select app.current_org_id()) and (select app.current_role_in_org()) in ('owner', 'admin'));
create policy invitations_accept_page on public.invitations for select to saas_api
  using (accepted_at is null and expires_at > now());

create policy api_keys_tenant on public.api_keys for all to saas_api
  using (organization_id = nullif(current_setting('app.org_id', true), '')::uuid);

create policy projects_tenant on public.projects for all to saas_api
  using (organization_id = (select app.current_org_id()));

create policy tasks_tenant on public.tasks for all to saas_api
  using (organization_id = (select app.current_org_id()));
create policy tasks_signed_in on public.tasks as restrictive for all to saas_api
  using ((select app.current_user_id()) is not null);

create policy task_comments_tenant on public.task_comments for all to saas_api
  using (organization_id = (select app.current_org_id()))
  with check (organization_id = (select app.current_org_id()) and author_id = (select app.current_user_id()));

create policy labels_tenant on public.labels for all to saas_api
  using (organization_id = (select app.current_org_id()));
create policy task_labels_tenant on public.task_labels for all to saas_api
  using (organization_id = (select app.current_org_id()));

create policy subscriptions_tenant on public.subscriptions for select to saas_api
  using (organization_id = (select app.current_org_id()));

create policy invoices_tenant on public.invoices for select to saas_api
  using ((select app.current_org_id()) is null or organization_id = (select app.current_org_id()));
create policy invoice_lines_tenant on public.invoice_lines for select to saas_api
  using (organization_id = (select app.current_org_id()));

create policy usage_events_tenant on public.usage_events to saas_api
  using (organization_id = (select app.current_org_id()));
create policy audit_logs_tenant on public.audit_logs for select to saas_api
  using (organization_id = (select app.current_org_id()));

comment on policy invitations_accept_page on public.invitations is 'The /invite/:token page looks the invitation up before the user has joined.';
comment on policy tasks_signed_in on public.tasks is 'Defence in depth: no task access without an authenticated user.';

-- ===================================================================== grants
-- (tables: default privileges above; the rest is explicit)

revoke all on public.users from saas_api;
grant select (id, email, display_name, avatar_url, created_at) on public.users to saas_api;
grant update (display_name, avatar_url) on public.users to saas_api;
revoke insert, update, delete on public.audit_logs from saas_api;
revoke insert, update, delete on public.subscriptions, public.invoices, public.invoice_lines from saas_api;
revoke all on public.usage_events from saas_api;
grant select on public.usage_events to saas_api;
revoke all on public.usage_events_2024_10, public.usage_events_2024_11, public.usage_events_2024_12,
              public.usage_events_2025_01, public.usage_events_default from saas_api;
grant select on public.usage_events_2024_10, public.usage_events_2024_11, public.usage_events_2024_12,
                public.usage_events_2025_01, public.usage_events_default to saas_api;

grant select on public.open_tasks, public.my_assigned_tasks to saas_api;
grant select on public.projects, public.tasks, public.invoices to saas_analytics;

revoke execute on all functions in schema app from public;
grant execute on function app.current_user_id(), app.current_org_id(), app.current_role_in_org(),
  app.authenticate_api_key(text), app.accept_invitation(text),
  app.org_usage_summary(uuid, timestamptz, timestamptz), app.org_usage_summary(timestamptz, timestamptz)
  to saas_api;

reset role;

alter function app.current_org_id() owner to saas_definer;
alter function app.current_role_in_org() owner to saas_definer;
alter function app.write_audit_log() owner to saas_definer;
alter function app.authenticate_api_key(text) owner to saas_definer;
alter function app.accept_invitation(text) owner to saas_definer;
alter function app.org_usage_summary(uuid, timestamptz, timestamptz) owner to saas_definer;
grant usage on schema app to saas_definer;
grant select, insert, update on public.memberships, public.invitations, public.api_keys to saas_definer;
grant select on public.users, public.usage_events to saas_definer;
grant insert on public.audit_logs to saas_definer;
grant usage on sequence public.audit_logs_id_seq to saas_definer;

alter table public.audit_logs replica identity nothing;
create publication ledgerly_cdc for table public.invoices, public.invoice_lines, public.subscriptions
  with (publish = 'insert, update, delete');
comment on publication ledgerly_cdc is 'Billing tables streamed to the warehouse.';
