reset role;
create foreign data wrapper byp003_fdw; create server byp003_srv foreign data wrapper byp003_fdw;
create foreign table app.ft (id int) server byp003_srv;
