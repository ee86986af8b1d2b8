-- witness.sql — proves every planted hole of supabase_starter is a hole and
-- every clean twin is clean, on a freshly loaded database. Run by load.sh as
-- the superuser inside one transaction that is rolled back; every hole runs
-- in a savepoint that is rolled back too. Alice is the attacker: a user of
-- organization A. Bob and Bella are organization B.
\set ON_ERROR_STOP 1
begin;
\ir ../witness_lib.sql

-- ------------------------------------------------------------------ seed (as the superuser)
insert into auth.users (id, email, role, aud, raw_user_meta_data, raw_app_meta_data) values
  ('00000000-0000-0000-0000-0000000000a1', 'alice@a.test', 'authenticated', 'authenticated', '{"full_name":"Alice A"}', '{}'),
  ('00000000-0000-0000-0000-0000000000b1', 'bob@b.test',   'authenticated', 'authenticated', '{"full_name":"Bob B"}',   '{}'),
  ('00000000-0000-0000-0000-0000000000b2', 'bella@b.test', 'authenticated', 'authenticated', '{"full_name":"Bella B"}', '{}');
insert into public.organizations (id, slug, name, created_by) values
  ('0a000000-0000-0000-0000-000000000000', 'org-a', 'Org A', '00000000-0000-0000-0000-0000000000a1'),
  ('0b000000-0000-0000-0000-000000000000', 'org-b', 'Org B', '00000000-0000-0000-0000-0000000000b1');
select id as ws_a from public.workspaces where organization_id = '0a000000-0000-0000-0000-000000000000' \gset
select id as ws_b from public.workspaces where organization_id = '0b000000-0000-0000-0000-000000000000' \gset
insert into public.organization_members (organization_id, user_id, role) values
  ('0b000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-0000000000b2', 'member');
insert into public.workspace_members (workspace_id, user_id, role) values
  (:'ws_b', '00000000-0000-0000-0000-0000000000b2', 'member');
insert into public.projects (id, workspace_id, key, name, is_public) values
  ('0a000000-0000-0000-0000-0000000000a1', :'ws_a', 'ALPHA', 'Alpha', false),
  ('0b000000-0000-0000-0000-0000000000b1', :'ws_b', 'BRAVO', 'Bravo secret', false),
  ('0b000000-0000-0000-0000-0000000000b2', :'ws_b', 'ROAD', 'Bravo public roadmap', true);
insert into public.tasks (id, project_id, title, created_by) values
  ('0a000000-0000-0000-0000-00000000aaa1', '0a000000-0000-0000-0000-0000000000a1', 'A task', '00000000-0000-0000-0000-0000000000a1'),
  ('0b000000-0000-0000-0000-00000000bbb1', '0b000000-0000-0000-0000-0000000000b1', 'B task', '00000000-0000-0000-0000-0000000000b1');
insert into public.task_comments (task_id, author_id, body) values
  ('0a000000-0000-0000-0000-00000000aaa1', '00000000-0000-0000-0000-0000000000a1', 'A comment'),
  ('0b000000-0000-0000-0000-00000000bbb1', '00000000-0000-0000-0000-0000000000b1', 'B comment');
insert into public.labels (id, workspace_id, name) values
  ('0b000000-0000-0000-0000-0000000001ab', :'ws_b', 'b-confidential');
insert into public.task_labels values ('0b000000-0000-0000-0000-00000000bbb1', '0b000000-0000-0000-0000-0000000001ab');
insert into public.org_billing (organization_id, plan, card_last4) values
  ('0a000000-0000-0000-0000-000000000000', 'pro', '1111'),
  ('0b000000-0000-0000-0000-000000000000', 'enterprise', '4242');
insert into public.feature_flags values
  ('0a000000-0000-0000-0000-000000000000', 'beta', true), ('0b000000-0000-0000-0000-000000000000', 'beta', true);
insert into storage.objects (bucket_id, name, owner_id) values
  ('exports', '0b000000-0000-0000-0000-000000000000/export-2024-11.zip', '00000000-0000-0000-0000-0000000000b1'),
  ('project-files', :'ws_b' || '/0b000000-0000-0000-0000-0000000000b1/spec.pdf', '00000000-0000-0000-0000-0000000000b1'),
  ('project-files', :'ws_a' || '/0a000000-0000-0000-0000-0000000000a1/plan.pdf', '00000000-0000-0000-0000-0000000000a1');
insert into public.invitations (organization_id, email, role, token, invited_by) values
  ('0b000000-0000-0000-0000-000000000000', 'carol@b.test', 'member', 'b-secret-token', '00000000-0000-0000-0000-0000000000b1');

-- Alice's request: PostgREST sets the role and the claims.
\set alice_claims '{"sub":"00000000-0000-0000-0000-0000000000a1","role":"authenticated","email":"alice@a.test","app_metadata":{"organization_ids":["0a000000-0000-0000-0000-000000000000"]},"user_metadata":{}}'
\set as_alice 'select set_config(''request.jwt.claims'', ' :'alice_claims' ', true); set local role authenticated;'

-- ------------------------------------------------------------------ clean twins
:as_alice
select witness.expect((select count(*) from public.projects) = 2
  and not exists (select 1 from public.projects where key = 'BRAVO'),
  'CLEAN projects SELECT: Alice sees her project and B''s public roadmap (is_public is intended), not B''s private project');
select witness.expect(witness.try($q$update public.projects set workspace_id = '$q$ || :'ws_b' || $q$'$q$) = 'err:42501',
  'CLEAN projects UPDATE without WITH CHECK: moving a project to B''s workspace is refused (USING is reused as the check)');
select witness.expect(witness.try($q$select public.workspace_member_count('$q$ || :'ws_b' || $q$')$q$) = 'err:42501',
  'CLEAN workspace_member_count (SECURITY DEFINER, membership checked): refused for B''s workspace');
select witness.expect(witness.try($q$select public.accept_invitation('b-secret-token')$q$) = 'err:P0002',
  'CLEAN accept_invitation (SECURITY DEFINER): B''s token is refused for a user whose e-mail it was not sent to');
select witness.expect(witness.try($q$insert into public.organization_members (organization_id, user_id, role) values ('0b000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-0000000000a1', 'owner')$q$) = 'err:42501',
  'CLEAN organization_members INSERT: Alice cannot add herself to organization B');
select witness.expect((select count(*) from public.project_overview) = 2,
  'CLEAN project_overview (security_invoker view): the caller''s RLS applies');
select witness.expect((select count(*) from public.feature_flags) = 1,
  'CLEAN feature_flags: the policy reads app_metadata (server-set), so Alice sees organization A''s flags only');
select witness.expect((select count(*) from storage.objects where bucket_id = 'project-files') = 1,
  'CLEAN storage project-files: Alice reads her workspace''s folder only');
select witness.expect(witness.try($q$insert into public.tasks (project_id, title) values ('0b000000-0000-0000-0000-0000000000b2', 'spam')$q$) = 'err:42501',
  'CLEAN tasks INSERT: a task in B''s (public) project is refused');
select witness.expect((select count(*) from public.invitations) = 0,
  'CLEAN invitations: B''s pending invitation is invisible to Alice');
reset role;

-- ------------------------------------------------------------------ holes
savepoint h;
:as_alice
select witness.expect(witness.try($q$select public.set_member_role('0b000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-0000000000a1', 'owner')$q$) = 'ok:1',
  'HOLE set_member_role: an admin of A makes herself owner of B');
select witness.expect((select count(*) from public.organizations) = 2,
  'HOLE set_member_role: ... and then reads organization B');
reset role;
rollback to savepoint h;

savepoint h;
:as_alice
select witness.expect((select count(*) from public.list_workspace_members(:'ws_b') where email = 'bob@b.test') = 1,
  'HOLE list_workspace_members: Alice lists B''s members and their e-mails');
reset role;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
set local role anon;
select witness.expect((select count(*) from public.projects where key = 'ROAD') = 1
  and (select count(*) from public.list_workspace_members((select workspace_id from public.projects where key = 'ROAD'))) = 2,
  'HOLE list_workspace_members: anon finds B''s workspace id on the public project and lists its members (EXECUTE is PUBLIC)');
reset role;
rollback to savepoint h;

savepoint h;
:as_alice
select witness.expect(witness.try($q$insert into public.workspace_members (workspace_id, user_id) values ('$q$ || :'ws_b' || $q$', '00000000-0000-0000-0000-0000000000a1')$q$) = 'ok:1',
  'HOLE workspace_members "Users can join a workspace": Alice writes herself into B''s workspace');
select witness.expect((select count(*) from public.tasks where workspace_id = :'ws_b') = 1
  and (select count(*) from storage.objects where bucket_id = 'project-files') = 2,
  'HOLE workspace_members: ... and then reads B''s tasks and B''s project files');
reset role;
rollback to savepoint h;

savepoint h;
:as_alice
select witness.expect(witness.try($q$update public.tasks set workspace_id = '$q$ || :'ws_b' || $q$' where id = '0a000000-0000-0000-0000-00000000aaa1'$q$) = 'err:42501',
  'HOLE tasks UPDATE WITH CHECK (assignee/creator): the targeted move is refused (SELECT policy on the new row) ...');
select witness.expect(witness.try($q$update public.tasks set workspace_id = '$q$ || :'ws_b' || $q$'$q$) = 'ok:1',
  'HOLE tasks UPDATE WITH CHECK: ... but the unqualified UPDATE moves Alice''s task into B''s workspace');
reset role;
select witness.expect((select workspace_id from public.tasks where id = '0a000000-0000-0000-0000-00000000aaa1') = :'ws_b',
  'HOLE tasks UPDATE: ground truth: the task now belongs to B''s workspace');
rollback to savepoint h;

savepoint h;
:as_alice
select witness.expect(witness.try($q$delete from public.task_comments where body = 'B comment'$q$) = 'ok:0',
  'HOLE task_comments DELETE (uncorrelated admin check): targeted delete of B''s comment deletes nothing ...');
select witness.expect(witness.try($q$delete from public.task_comments$q$) = 'ok:2',
  'HOLE task_comments DELETE: ... the unqualified DELETE deletes every organization''s comments');
reset role;
select witness.expect((select count(*) from public.task_comments) = 0,
  'HOLE task_comments DELETE: ground truth: B''s comment is gone');
rollback to savepoint h;

savepoint h;
select set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-0000000000a1","role":"authenticated","email":"alice@a.test","user_metadata":{"organization_id":"0b000000-0000-0000-0000-000000000000"}}', true);
set local role authenticated;
select witness.expect((select card_last4 from public.org_billing) = '4242',
  'HOLE org_billing (user_metadata): Alice puts B''s id in her own user_metadata and reads B''s billing');
reset role;
rollback to savepoint h;

savepoint h;
:as_alice
select witness.expect((select count(*) from public.task_labels) = 1
  and witness.try($q$delete from public.task_labels$q$) = 'ok:1',
  'HOLE task_labels (RLS disabled): Alice reads and deletes B''s task labels');
select witness.expect((select count(*) from storage.objects where bucket_id = 'exports') = 1,
  'HOLE storage exports bucket: any signed-in user downloads B''s export');
select witness.expect((select count(*) from public.member_directory where email = 'bella@b.test') = 1,
  'HOLE member_directory (definer view, owned by postgres): Alice reads B''s members and their auth.users e-mails');
select witness.expect(witness.try($q$truncate public.task_comments$q$) = 'ok:0',
  'HOLE TRUNCATE (platform default privileges grant ALL): Alice truncates task_comments of every organization');
reset role;
rollback to savepoint h;

rollback;
