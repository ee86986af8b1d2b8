grant select, insert on t to app_user;
