-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create sequence app.invoice_number start with 1000 increment by 10 minvalue 1000 maxvalue 999999 cache 5;
create sequence app.ticket_seq as integer cycle;
create sequence app.countdown increment by -1 start with 100 minvalue 0 maxvalue 100;
create table app.invoices (
    number bigint primary key default nextval('app.invoice_number'),
    ticket int not null default nextval('app.ticket_seq'::regclass)
);
grant usage, select on sequence app.invoice_number to app_user;
comment on sequence app.countdown is 'launch';
