/** The path at which the default `nginx.conf` serves nginx's `stub_status` page for the exporter sidecar. */
export const DEFAULT_STATUS_PATH = '/nginx_status';

/**
 * The default `nginx.conf`: the image's own page at `/` on port 80, and `stub_status` at `/nginx_status`, reachable
 * only from inside the pod (127.0.0.1), which is where the exporter sidecar scrapes it.
 *
 * Paths are absolute because the official image is built with `--prefix=/etc/nginx`: a relative `root html;` would
 * look in `/etc/nginx/html`, which does not exist, and answer every request with 404. The page, `mime.types` and the
 * `nginx` user are those of the official `nginx` image (and of Debian's package, except the user).
 */
export const DEFAULT_NGINX_CONF = `user nginx;
worker_processes 1;
error_log /var/log/nginx/error.log;
events {
  worker_connections 1024;
}
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  server {
    listen 80;
    server_name _;
    location / {
      root /usr/share/nginx/html;
      index index.html index.htm;
    }
    location /nginx_status {
      stub_status;
      access_log off;
      allow 127.0.0.1;
      deny all;
    }
  }
}
`;
