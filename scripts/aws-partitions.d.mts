export interface SdkPartition {
  readonly id: string
  readonly regionRegex: string
  readonly regions: readonly string[]
}

/** Where the generated module lives. */
export const PARTITIONS_MODULE: string

/** The installed AWS SDK's partitions (global endpoint names left out). */
export function readSdkPartitions(): SdkPartition[]

/** The text of src/inputs/aws-partitions.ts for these partitions. */
export function renderPartitionsModule(partitions: readonly SdkPartition[]): string
