-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.everything (
    id int primary key,
    n numeric(12, 4),
    n_plain numeric,
    vc varchar(20),
    ch char(3),
    ts timestamp(3) without time zone,
    tstz timestamptz(0),
    t time with time zone,
    d date,
    iv interval day to second,
    ints int[],
    matrix text[][],
    b bit(8),
    vb bit varying(16),
    addr inet,
    net cidr,
    mac macaddr,
    doc tsvector,
    q tsquery,
    u uuid,
    raw bytea,
    j json,
    jb jsonb,
    x xml,
    p point,
    box_ box,
    m money,
    f4 real,
    f8 double precision,
    i2 smallint,
    i8 bigint,
    flag boolean,
    r int4range,
    mr int4multirange,
    oid_ regclass
);
