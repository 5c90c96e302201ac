/** The path at which the default `nginx.conf` serves nginx's `stub_status` page for the exporter sidecar. */
export const DEFAULT_STATUS_PATH = '/nginx_status';

/**
 * The seed's `nginx.conf`: a static site on port 80 plus `stub_status` at `/nginx_status`, reachable only from inside
 * the pod (127.0.0.1), which is where the exporter sidecar scrapes it.
 */
export const DEFAULT_NGINX_CONF = `user nginx;
worker_processes 1;
error_log /var/log/nginx/error.log;
events {
  worker_connections 1024;
}
http {
  server {
    listen 80;
    server_name _;
    location / {
      root html;
      index index.html index.htm;
    }
    location /nginx_status {
      stub_status on;
      access_log off;
      allow 127.0.0.1;
      deny all;
    }
  }
}
`;
