reset role;
create foreign data wrapper byp003_fdw; create server byp003_srv foreign data wrapper byp003_fdw;
create foreign table app.ft (id int) server byp003_srv;
grant select on app.ft to app_user;
