/**
 * The contract generator's parser, on small fixtures written in the shape of
 * the marmotedu/iam source (not copies of it), and the committed snapshot
 * (app/iamContract.v1.6.3.json) against what that parser says the rules give:
 * an untagged field, a struct held through an import alias, a map of
 * structs, a free-form map and an embedded struct.
 */
import * as fs from "fs";
import { IAM_CONTRACT } from "../app/iamContract";
import { iotaEnum, mapstructureTag, optionKeys, parseStructs } from "./goOptionKeys";
import { buildContract, contractFile, TagReader } from "./iamContract";

const FIXTURE: Record<string, string> = {
    "internal/pkg/options/redis.go": `package options

type RedisOptions struct {
	Host     string   \`json:"host"     mapstructure:"host"     description:"address"\`
	Port     int      \`json:"port"\`
	Password string   \`json:"password" mapstructure:"password"\`
	UseSSL   bool     \`json:"use-ssl"  mapstructure:"use-ssl"\`
	Skip     string   \`mapstructure:"-"\`
}

func NewRedisOptions() *RedisOptions {
	return &RedisOptions{
		Host:   "127.0.0.1",
		Port:   6379,
		UseSSL: false,
	}
}
`,
    "internal/pkg/options/secure.go": `package options

type SecureServingOptions struct {
	BindPort int \`json:"bind-port" mapstructure:"bind-port"\`
	// Required is untagged.
	Required   bool
	ServerCert GeneratableKeyCert \`json:"tls" mapstructure:"tls"\`
}

type CertKey struct {
	CertFile string \`json:"cert-file" mapstructure:"cert-file"\`
}

type GeneratableKeyCert struct {
	CertKey CertKey \`json:"cert-key" mapstructure:"cert-key"\`
}
`,
    "internal/demo/options/options.go": `package options

import (
	"time"

	genericoptions "github.com/marmotedu/iam/internal/pkg/options"
	"github.com/marmotedu/iam/internal/demo/pumps"
)

type Options struct {
	RPCServer     string                               \`json:"rpcserver" mapstructure:"rpcserver"\`
	Timeout       time.Duration                        \`json:"timeout"   mapstructure:"timeout"\`
	Redis         *genericoptions.RedisOptions         \`json:"redis"     mapstructure:"redis"\`
	SecureServing *genericoptions.SecureServingOptions \`json:"secure"    mapstructure:"secure"\`
	Pumps         map[string]PumpConfig                \`json:"pumps"     mapstructure:"pumps"\`
	Mongo         pumps.MongoConf                      \`json:"mongo"     mapstructure:"mongo"\`
}

type PumpConfig struct {
	Type string                 \`json:"type" mapstructure:"type"\`
	Meta map[string]interface{} \`json:"meta" mapstructure:"meta"\`
}

func NewOptions() *Options {
	return &Options{
		RPCServer: "127.0.0.1:8081",
	}
}
`,
    "internal/demo/pumps/mongo.go": `package pumps

type MongoType int

const (
	StandardMongo MongoType = iota
	AWSDocumentDB
)

type BaseMongoConf struct {
	MongoURL    string    \`json:"mongo_url"     mapstructure:"mongo_url"\`
	MongoDBType MongoType \`json:"mongo_db_type" mapstructure:"mongo_db_type"\`
}

type MongoConf struct {
	BaseMongoConf

	CollectionName string \`json:"collection_name" mapstructure:"collection_name"\`
}
`,
};

const source = {
    files: (dir: string) =>
        Object.entries(FIXTURE)
            .filter(([path]) => path.slice(0, path.lastIndexOf("/")) === dir)
            .map(([path, text]) => ({ path, text })),
};

describe("reading option keys from Go source", () => {
    it("follows mapstructure: tags, lower-cased untagged names, '-' skipped, sections, maps, embedded structs, aliased imports", () => {
        const keys = optionKeys(source, "internal/demo/options", "Options");
        expect(keys.keys).toEqual([
            "mongo.collection_name",
            "mongo.mongo_db_type",
            "mongo.mongo_url",
            "pumps.*.type",
            "redis.host",
            "redis.password",
            "redis.port",
            "redis.use-ssl",
            "rpcserver",
            "secure.bind-port",
            "secure.required",
            "secure.tls.cert-key.cert-file",
            "timeout",
        ]);
        expect(keys.freeMaps).toEqual(["pumps.*.meta.*"]);
        expect(keys.defaults).toEqual({ "redis.host": "127.0.0.1", "redis.port": 6379, "redis.use-ssl": false, rpcserver: "127.0.0.1:8081" });
    });

    it("reads struct tags and enums as gofmt writes them", () => {
        expect(mapstructureTag('json:"x" mapstructure:"y,squash"')).toEqual({ name: "y", squash: true });
        expect(mapstructureTag('json:"port"')).toEqual({ squash: false });
        expect(
            parseStructs(FIXTURE["internal/pkg/options/secure.go"])
                .get("SecureServingOptions")
                ?.map((f) => f.name),
        ).toEqual(["BindPort", "Required", "ServerCert"]);
        expect(iotaEnum(FIXTURE["internal/demo/pumps/mongo.go"], "MongoType")).toEqual({ StandardMongo: 0, AWSDocumentDB: 1 });
    });
});

describe("the committed contract snapshot", () => {
    it("is what the script writes (same shape, tag and source), with every key the parser's rules give for the fixtures' shapes", () => {
        const committed = JSON.parse(fs.readFileSync(contractFile("v1.6.3"), "utf8")) as typeof IAM_CONTRACT;
        expect(committed.source).toEqual({
            repository: "github.com/marmotedu/iam",
            tag: "v1.6.3",
            commit: "77b1d49a8601ceba95acc2856211cab53c78e5d0",
            tagDate: "2023-12-05",
            generatedBy: "scripts/iamContract.ts",
        });
        const apiserver = committed.binaries["iam-apiserver"];
        // An untagged field (RedisOptions.Port), an untagged bool (Required), a nested section.
        expect(apiserver.keys).toEqual(
            expect.arrayContaining(["redis.port", "secure.required", "secure.tls.cert-key.cert-file", "secure.tls.cert-key.private-key-file", "mysql.host", "jwt.key"]),
        );
        // The authz-server's own fields, and the pump's map of pumps with the mongo pump's (embedded) meta keys.
        expect(committed.binaries["iam-authz-server"].keys).toEqual(expect.arrayContaining(["rpcserver", "client-ca-file"]));
        expect(committed.binaries["iam-pump"].keys).toEqual(
            expect.arrayContaining([
                "pumps.*.type",
                "pumps.*.meta.mongo_url",
                "pumps.*.meta.mongo_db_type",
                "pumps.*.meta.mongo_use_ssl",
                "pumps.*.meta.mongo_ssl_ca_file",
                "pumps.*.meta.collection_name",
            ]),
        );
        expect(committed.binaries["iam-pump"].freeMaps).toEqual(["pumps.*.meta.*"]);
        expect(apiserver.defaults["insecure.bind-address"]).toBe("127.0.0.1");
        expect(committed.mongoDbTypes).toEqual({ StandardMongo: 0, AWSDocumentDB: 1 });
        expect(Object.fromEntries(Object.entries(committed.binaries).map(([b, c]) => [b, [c.envPrefix, c.configPath, c.entrypoint[0]]]))).toEqual({
            "iam-apiserver": ["IAM_APISERVER_", "/etc/iam/iam-apiserver.yaml", "/opt/iam/bin/iam-apiserver"],
            "iam-authz-server": ["IAM_AUTHZ_SERVER_", "/etc/iam/iam-authz-server.yaml", "/opt/iam/bin/iam-authz-server"],
            "iam-pump": ["IAM_PUMP_", "/etc/iam/iam-pump.yaml", "/opt/iam/bin/iam-pump"],
            "iam-watcher": ["IAM_WATCHER_", "/etc/iam/iam-watcher.yaml", "/opt/iam/bin/iam-watcher"],
        });
        // The app area reads the same file.
        expect(IAM_CONTRACT).toEqual(committed);
    });

    it("refuses a source whose env setup changed, instead of recording a wrong prefix", () => {
        const reader: TagReader = { read: (file) => (file === "pkg/app/config.go" ? "package app\n\nfunc addConfigFlag() { viper.AutomaticEnv() }\n" : undefined), list: () => [] };
        expect(() => buildContract(reader, { tag: "v9", commit: "0", tagDate: "2030-01-01" })).toThrow(/no longer has viper.SetEnvPrefix/);
    });
});
