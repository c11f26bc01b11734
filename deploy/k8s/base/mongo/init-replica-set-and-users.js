// Run by mongosh as root: the one-shot `mongo-init` container (compose) or the `mongo-init` Job
// (Kubernetes, an identical copy in deploy/k8s/base/mongo/). Idempotent: safe to run again.
// 1. Initiates the replica set `rs0` (needed for majority write concern) with the members listed in
//    MONGO_MEMBERS (comma-separated host:port; default the single compose node `mongo:27017`).
// 2. Creates or updates one user per service with readWrite on that service's own database only,
//    with the password read from $SECRETS_DIR/mongo_<service>_password (default /run/secrets).
const fs = require("fs");

const SERVICES = ["scheduling", "intake", "assignment", "notification", "portal"];
const MEMBERS = (process.env.MONGO_MEMBERS || "mongo:27017").split(",").map((host) => host.trim());
const SECRETS_DIR = process.env.SECRETS_DIR || "/run/secrets";

function readSecret(name) {
  return fs.readFileSync(`${SECRETS_DIR}/${name}`, "utf8").trim();
}

try {
  rs.status();
} catch (error) {
  print(`initiating replica set rs0 with ${MEMBERS.join(", ")}`);
  rs.initiate({ _id: "rs0", members: MEMBERS.map((host, index) => ({ _id: index, host: host })) });
}

// Wait for this node to become primary before writing users.
for (let attempt = 0; attempt < 60 && !db.hello().isWritablePrimary; attempt++) {
  sleep(1000);
}
if (!db.hello().isWritablePrimary) {
  throw new Error("MongoDB did not become primary within 60 s; check `docker compose logs mongo`.");
}

for (const service of SERVICES) {
  const database = db.getSiblingDB(`dialogue_${service}`);
  const password = readSecret(`mongo_${service}_password`);
  const roles = [{ role: "readWrite", db: `dialogue_${service}` }];
  if (database.getUser(service)) {
    database.updateUser(service, { pwd: password, roles: roles });
    print(`updated user ${service}`);
  } else {
    database.createUser({ user: service, pwd: password, roles: roles });
    print(`created user ${service}`);
  }
}
