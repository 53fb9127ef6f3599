export { canonicalJson, configHash, indicatorSetHash } from "./hash.ts";
export {
  ClusterConfigErrors,
  type ClusterConfigFormat,
  formatOf,
  loadClusterConfigFile,
  loadClusterConfigFiles,
  parseClusterConfigText,
} from "./load.ts";
export {
  type BoardDef,
  type ClusterConfig,
  ClusterConfigError,
  type ClusterConfigIssue,
  type ClusterInfo,
  clusterConfigSchema,
  DEFAULT_CALENDAR,
  DEFAULT_SCORING,
  DEFAULT_TIMEZONE,
  parseClusterConfig,
} from "./schema.ts";
