reset role; select public.ensure_role('prv002_client'); select public.ensure_role('prv002_admin');
revoke prv002_admin from prv002_client;
