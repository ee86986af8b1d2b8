-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.nodes (
    id int primary key,
    parent_id int,
    position int not null,
    constraint nodes_parent_fkey foreign key (parent_id) references app.nodes (id) deferrable initially deferred,
    constraint nodes_position_key unique (parent_id, position) deferrable initially immediate
);
create table app.pairs (
    a int not null,
    b int not null,
    constraint pairs_pkey primary key (a, b) deferrable
);
