import { HARNESS_NAMES, type HarnessName } from '../../../src/shared/console-api';

/**
 * Which coding-agent CLI new work's runs use. Empty is the repository's own choice (its
 * `.horizon/config.yaml`, else the installation's default), which is what most work wants.
 */
export function HarnessSelect({
  value,
  onChange,
}: {
  value: HarnessName | '';
  onChange: (harness: HarnessName | '') => void;
}) {
  return (
    <label>
      Harness
      <select value={value} onChange={(e) => onChange(e.target.value as HarnessName | '')}>
        <option value="">repository default</option>
        {HARNESS_NAMES.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
