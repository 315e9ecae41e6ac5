import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { RegistryReadResult } from '../../protocol/command';
import { parseRegQuery } from '../src/parsers/reg-query';
import { readRegistry, regQueryArgs } from '../src/system/registry-read';
import { fixture } from './helpers/fixtures';

describe('registry_read', () => {
  it('parses a key: typed values in order, then its subkeys', () => {
    const r = parseRegQuery(fixture('reg-query-lanmanserver.txt'));
    expect(v.is(RegistryReadResult, r)).toBe(true);
    expect(r!.key).toBe('HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer');
    const value = (name: string) => r!.values.find((x) => x.name === name);
    expect(r!.values).toHaveLength(13);
    expect(value('Type')).toEqual({ name: 'Type', type: 'REG_DWORD', data: '32' });
    expect(value('Start')).toEqual({ name: 'Start', type: 'REG_DWORD', data: '2' });
    expect(value('ImagePath')).toEqual({ name: 'ImagePath', type: 'REG_EXPAND_SZ', data: '%SystemRoot%\\system32\\svchost.exe -k netsvcs -p' });
    expect(value('DisplayName')).toEqual({ name: 'DisplayName', type: 'REG_SZ', data: '@%systemroot%\\system32\\srvsvc.dll,-100' });
    expect(value('DependOnService')).toEqual({ name: 'DependOnService', type: 'REG_MULTI_SZ', data: 'SamSS\nSrv2' });
    expect(value('RequiredPrivileges')!.data.split('\n')).toEqual(['SeChangeNotifyPrivilege', 'SeImpersonatePrivilege', 'SeAuditPrivilege', 'SeLoadDriverPrivilege']);
    expect(value('FailureActions')!.type).toBe('REG_BINARY');
    expect(value('FailureActions')!.data).toMatch(/^80510100[0-9A-F]+$/);
    expect(r!.subkeys).toEqual(['Aliases', 'AutotunedParameters', 'DefaultSecurity', 'Linkage', 'Parameters', 'ShareProviders', 'Shares', 'TriggerInfo']);
  });

  it('keeps value names with spaces and the default value', () => {
    expect(parseRegQuery(fixture('reg-query-dot-txt.txt'))).toEqual({
      key: 'HKEY_CLASSES_ROOT\\.txt',
      values: [
        { name: '(Default)', type: 'REG_SZ', data: 'txtfile' },
        { name: 'Content Type', type: 'REG_SZ', data: 'text/plain' },
        { name: 'PerceivedType', type: 'REG_SZ', data: 'text' },
      ],
      subkeys: ['OpenWithProgids', 'PersistentHandler', 'ShellNew'],
    });
  });

  it('parses one value, a QWORD beyond 2^53 exactly', () => {
    expect(parseRegQuery(fixture('reg-query-value-qword.txt'))).toEqual({
      key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
      values: [{ name: 'InstallTime', type: 'REG_QWORD', data: BigInt('0x1d9f4a2b3c4d5e6').toString() }],
      subkeys: [],
    });
    expect(parseRegQuery('\r\n    Empty    REG_SZ    \r\n')).toBeNull();
    expect(parseRegQuery('\r\nHKEY_CURRENT_USER\\Software\\X\r\n    Empty    REG_SZ    \r\n')!.values).toEqual([{ name: 'Empty', type: 'REG_SZ', data: '' }]);
  });

  it('asks reg with an argument vector: /v for a value, /ve for the default one', () => {
    expect(regQueryArgs({ hive: 'HKLM', key: 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion' })).toEqual(['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion']);
    expect(regQueryArgs({ hive: 'HKCR', key: '.txt', value: 'Content Type' })).toEqual(['query', 'HKCR\\.txt', '/v', 'Content Type']);
    expect(regQueryArgs({ hive: 'HKCR', key: '.txt', value: '' })).toEqual(['query', 'HKCR\\.txt', '/ve']);
  });

  it('fails on other systems', async () => {
    expect(await readRegistry({ hive: 'HKLM', key: 'SOFTWARE' }, 'linux')).toEqual({ ok: false, error: 'the registry exists only on Windows' });
    expect(await readRegistry({ hive: 'HKLM', key: 'SOFTWARE' }, 'darwin')).toEqual({ ok: false, error: 'the registry exists only on Windows' });
  });
});
