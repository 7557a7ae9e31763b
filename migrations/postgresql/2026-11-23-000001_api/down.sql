DROP TABLE intake_requests;
DROP TABLE api_clients;
