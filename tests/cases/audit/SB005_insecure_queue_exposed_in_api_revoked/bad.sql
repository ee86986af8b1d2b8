-- Stand-in for pgmq: queue tables in pgmq, its API wrappers in pgmq_public, exposed through PostgREST.
create schema pgmq;
create table pgmq.q_jobs (msg_id bigint primary key, message jsonb);
create table pgmq.q_events (msg_id bigint, enqueued_at timestamptz not null, message jsonb) partition by range (enqueued_at);
create schema pgmq_public;
grant usage on schema pgmq_public to anon, authenticated;
DO $$ BEGIN CREATE ROLE authenticator NOINHERIT LOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN
  EXECUTE format('ALTER ROLE authenticator IN DATABASE %I SET pgrst.db_schemas = %L',
                 current_database(), 'public, pgmq_public');
END $$;
grant select, insert, update, delete on pgmq.q_jobs, pgmq.q_events to anon, authenticated;
