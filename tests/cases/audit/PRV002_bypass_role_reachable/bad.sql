reset role; select public.ensure_role('prv002_client'); select public.ensure_role('prv002_admin');
alter role prv002_admin bypassrls; alter role prv002_client noinherit; grant prv002_admin to prv002_client;
