-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.parents (id int primary key, code text not null unique, region int not null, unique (id, region));
create table app.children (
    id int primary key,
    parent_id int references app.parents (id) on delete cascade on update cascade,
    parent_code text references app.parents (code) on delete set null,
    other_parent int references app.parents (id) on delete set default default 0,
    region int,
    restricted int references app.parents (id) on delete restrict,
    noact int references app.parents (id) on delete no action,
    constraint children_pair_fkey foreign key (parent_id, region) references app.parents (id, region) match full on delete set null (region)
);
insert into app.parents values (0, 'zero', 0);
