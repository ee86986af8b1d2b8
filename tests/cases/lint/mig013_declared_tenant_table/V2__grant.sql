grant select on t to app_user;
