/** The files a Qlik Sense site exports, and `qps-sim certs` writes. */
export const CERT_FILES = {
  root: 'root.pem',
  server: 'server.pem',
  serverKey: 'server_key.pem',
  client: 'client.pem',
  clientKey: 'client_key.pem',
} as const;

export type CertificateSet = Record<keyof typeof CERT_FILES, string>;
