-- witness.sql — proves every planted hole of b2b_saas is a hole and every
-- clean twin is clean. Run by load.sh as the superuser in one transaction
-- that is rolled back; each hole runs in a savepoint rolled back after it.
-- Alice (owner of organization A) is the attacker; Bob owns organization B.
\set ON_ERROR_STOP 1
begin;
\ir ../witness_lib.sql

-- ------------------------------------------------------------------ seed (as the superuser)
\set org_a '''0a000000-0000-0000-0000-000000000000'''
\set org_b '''0b000000-0000-0000-0000-000000000000'''
\set alice '''00000000-0000-0000-0000-0000000000a1'''
\set bob '''00000000-0000-0000-0000-0000000000b1'''
insert into public.organizations (id, slug, name) values (:org_a, 'org-a', 'Org A'), (:org_b, 'org-b', 'Org B');
insert into public.users (id, email, display_name, password_hash) values
  (:alice, 'alice@a.test', 'Alice', 'argon2id$alice'), (:bob, 'bob@b.test', 'Bob', 'argon2id$bob');
insert into public.memberships values (:org_a, :alice, 'owner', now()), (:org_b, :bob, 'owner', now());
insert into public.projects (id, organization_id, slug, name) values
  ('0a000000-0000-0000-0000-0000000000a1', :org_a, 'a-launch', 'A launch'),
  ('0b000000-0000-0000-0000-0000000000b1', :org_b, 'b-merger', 'B merger (confidential)');
insert into public.tasks (id, organization_id, project_id, number, title, assignee_id) values
  ('0a000000-0000-0000-0000-00000000aaa1', :org_a, '0a000000-0000-0000-0000-0000000000a1', 1, 'A task', :alice),
  ('0b000000-0000-0000-0000-00000000bbb1', :org_b, '0b000000-0000-0000-0000-0000000000b1', 1, 'B task', :bob);
insert into public.labels (id, organization_id, name) values ('0b000000-0000-0000-0000-0000000001ab', :org_b, 'b-label');
insert into public.invitations (organization_id, email, token_hash, invited_by) values
  (:org_b, 'carol@b.test', digest('b-invite-token', 'sha256'), :bob);
insert into public.api_keys (organization_id, name, prefix, key_hash) values
  (:org_b, 'B production', 'lk_live_BBBBBBBB', digest('lk_live_BBBBBBBB.secret-b', 'sha256'));
insert into public.invoices (organization_id, period_start, period_end, status, total_cents) values
  (:org_a, '2024-11-01', '2024-12-01', 'paid', 4900), (:org_b, '2024-11-01', '2024-12-01', 'paid', 990000);
insert into public.usage_events (organization_id, occurred_at, metric, quantity, idempotency_key) values
  (:org_a, '2024-11-03', 'api.calls', 100, 'a1'), (:org_b, '2024-11-04', 'api.calls', 250000, 'b1');
insert into public.audit_logs (organization_id, actor_id, action, entity_type, entity_id, created_at) values
  (:org_b, :bob, 'invoices.refund', 'invoices', 'x', '2024-11-05');

\set as_alice 'set local app.user_id = ' :alice '; set local app.org_id = ' :org_a '; set local role saas_api;'
\set as_bob 'set local app.user_id = ' :bob '; set local app.org_id = ' :org_b '; set local role saas_api;'

-- ------------------------------------------------------------------ clean twins
:as_alice
select witness.expect((select count(*) from public.tasks) = 1 and (select count(*) from public.projects) = 1,
  'CLEAN tasks/projects: Alice sees organization A''s rows only');
select witness.expect(witness.try($q$update public.tasks set organization_id = $q$ || quote_literal(:org_b))
  = 'err:42501', 'CLEAN tasks FOR ALL USING-only: moving a task to B is refused (USING is reused as the check)');
select witness.expect(witness.try($q$insert into public.tasks (organization_id, project_id, number, title) values ($q$
  || quote_literal(:org_a) || $q$, '0b000000-0000-0000-0000-0000000000b1', 9, 'x')$q$) = 'err:23503',
  'CLEAN tasks composite FK (organization_id, project_id): a task of A cannot point at B''s project');
select witness.expect(witness.try($q$insert into public.task_labels values ($q$ || quote_literal(:org_a)
  || $q$, '0a000000-0000-0000-0000-00000000aaa1', '0b000000-0000-0000-0000-0000000001ab')$q$) = 'err:23503',
  'CLEAN task_labels composite FK: A cannot tag its task with B''s label');
select witness.expect((select count(*) from public.usage_events_2024_11) = 1,
  'CLEAN usage_events partitions: a partition named directly applies its own (identical) policy');
select witness.expect((select count(*) from app.org_usage_summary('2024-01-01', '2025-01-01')) = 1
  and (select total from app.org_usage_summary('2024-01-01', '2025-01-01')) = 100,
  'CLEAN org_usage_summary(from, to) (invoker overload): A''s usage only');
select witness.expect(witness.try($q$select app.accept_invitation('b-invite-token')$q$) = 'err:28000',
  'CLEAN accept_invitation (SECURITY DEFINER): B''s token is refused for a user it was not sent to');
select witness.expect(not exists (select 1 from app.authenticate_api_key('lk_live_BBBBBBBB.guess')),
  'CLEAN authenticate_api_key (SECURITY DEFINER): a guessed key authenticates nothing');
select witness.expect(witness.try($q$update public.memberships set organization_id = $q$ || quote_literal(:org_b)
  || $q$ where user_id = $q$ || quote_literal(:alice)) = 'err:42501',
  'CLEAN memberships UPDATE (USING only): an admin of A cannot move a membership to B');
select witness.expect(witness.try('select password_hash from public.users') = 'err:42501',
  'CLEAN users column grants: password_hash is not readable');
select witness.expect(witness.try($q$update public.my_assigned_tasks set assignee_id = $q$ || quote_literal(:bob)) = 'err:44000',
  'CLEAN my_assigned_tasks WITH LOCAL CHECK OPTION: handing a task away through the view is refused');
reset role;
set local app.user_id = '';
set local app.org_id = '';
set local role saas_api;
select witness.expect((select count(*) from public.tasks) = 0 and (select count(*) from public.projects) = 0,
  'CLEAN no context (pooled connection, app.* = ''''): no rows, no error (every cast goes through nullif)');
reset role;
set local role saas_analytics;
select witness.expect((select count(*) from public.projects) = 0,
  'CLEAN saas_analytics: granted SELECT, but no policy applies to it under FORCE (deny-all, not a leak)');
reset role;

-- ------------------------------------------------------------------ holes
savepoint h;
:as_alice
select witness.expect(witness.try($q$insert into public.task_comments (organization_id, task_id, author_id, body) values ($q$
  || quote_literal(:org_a) || $q$, '0b000000-0000-0000-0000-00000000bbb1', $q$ || quote_literal(:alice) || $q$, 'linked')$q$) = 'ok:1'
  and witness.try($q$insert into public.task_comments (organization_id, task_id, author_id, body) values ($q$
  || quote_literal(:org_a) || $q$, '0b000000-0000-0000-0000-00000000bbb9', $q$ || quote_literal(:alice) || $q$, 'x')$q$) = 'err:23503',
  'HOLE task_comments.task_id plain FK: A links a comment to B''s hidden task; a missing id fails (existence oracle)');
reset role;
:as_bob
select witness.expect(witness.try($q$delete from public.tasks where id = '0b000000-0000-0000-0000-00000000bbb1'$q$) = 'ok:1',
  'HOLE task_comments FK ON DELETE CASCADE: B deletes its own task ...');
reset role;
select witness.expect((select count(*) from public.task_comments where organization_id = :org_a) = 0,
  'HOLE task_comments FK ON DELETE CASCADE: ... and A''s comment is gone (ground truth)');
rollback to savepoint h;

savepoint h;
:as_alice
select witness.expect(witness.try($q$insert into public.projects (organization_id, slug, name) values ($q$
  || quote_literal(:org_a) || $q$, 'b-merger', 'probe')$q$) = 'err:23505'
  and witness.try($q$insert into public.projects (organization_id, slug, name) values ($q$
  || quote_literal(:org_a) || $q$, 'c-nothing', 'probe')$q$) = 'ok:1',
  'HOLE projects_slug_key (global unique): A learns that B has a project "b-merger"');
select witness.expect((select count(*) from public.invitations where organization_id = :org_b) = 1,
  'HOLE invitations_accept_page: Alice reads B''s pending invitations (e-mail, role, token hash)');
select witness.expect((select sum(total) from app.org_usage_summary(:org_b, '2024-01-01', '2025-01-01')) = 250000,
  'HOLE org_usage_summary(org, from, to) (SECURITY DEFINER, no check, no search_path): Alice reads B''s usage');
select witness.expect((select count(*) from public.audit_logs_2024_11) = 1
  and witness.try('delete from public.audit_logs_2024_11') = 'ok:1',
  'HOLE audit_logs partitions (default privileges, no RLS): Alice reads and deletes B''s audit trail');
select witness.expect(witness.try($q$select nextval('public.invoice_number_seq')$q$) = 'ok:1',
  'HOLE (info) invoice_number_seq: one global counter, readable through nextval and through invoice numbers');
reset role;
rollback to savepoint h;

savepoint h;
:as_alice
select witness.expect(witness.try($q$insert into public.memberships (organization_id, user_id, role) values ($q$
  || quote_literal(:org_b) || $q$, $q$ || quote_literal(:alice) || $q$, 'owner')$q$) = 'ok:1',
  'HOLE memberships_join: Alice writes herself into B as owner ...');
set local app.org_id = '0b000000-0000-0000-0000-000000000000';
select witness.expect((select count(*) from public.projects where slug = 'b-merger') = 1,
  'HOLE memberships_join: ... switches to B and reads its projects');
reset role;
rollback to savepoint h;

savepoint h;
set local app.user_id = '00000000-0000-0000-0000-0000000000a1';
set local app.org_id = '0b000000-0000-0000-0000-000000000000';
set local role saas_api;
select witness.expect((select count(*) from public.invoices) = 2,
  'HOLE invoices fail-open: Alice names B in app.org_id, is no member, current_org_id() is NULL, every invoice shows');
select witness.expect((select count(*) from public.api_keys) = 1
  and witness.try($q$insert into public.api_keys (organization_id, name, prefix, key_hash) values ('0b000000-0000-0000-0000-000000000000', 'mine', 'lk_live_AAAAAAAA', public.digest('lk_live_AAAAAAAA.alice', 'sha256'))$q$) = 'ok:1',
  'HOLE api_keys (raw app.org_id, no membership check): Alice reads B''s keys and mints one for B ...');
select witness.expect((select organization_id from app.authenticate_api_key('lk_live_AAAAAAAA.alice')) = '0b000000-0000-0000-0000-000000000000',
  'HOLE api_keys: ... which authenticates as organization B');
reset role;
set local app.org_id = '';
set local app.user_id = '';
set local role saas_api;
select witness.expect((select count(*) from public.invoices) = 2,
  'HOLE invoices fail-open: with no context at all, every invoice shows');
reset role;
rollback to savepoint h;

rollback;
