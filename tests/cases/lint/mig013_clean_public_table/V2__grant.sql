grant select on tenants to app_user;
revoke select on t from app_user;
