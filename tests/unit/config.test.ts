import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/config.ts';

describe('configuration from the environment', () => {
  it('defaults to the embedded database under ./data on port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', DATA_DIR: './data', LOG_LEVEL: 'info' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable with what is wrong', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        PUBLIC_URL: 'not a url',
        SESSION_SECRET: 'short',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toMatch(/PORT="eighty": must be a number/);
      expect(message).toMatch(/DATABASE_URL="mysql:\/\/x": must be a postgres:\/\/ connection URL/);
      expect(message).toMatch(/LOG_LEVEL="loud": must be one of/);
      expect(message).toMatch(/PUBLIC_URL=/);
      expect(message).toMatch(/SESSION_SECRET=.*at least 32/);
    }
  });

  it('accepts an external PostgreSQL and a public URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/mj',
      PUBLIC_URL: 'https://mj.example.org',
      PORT: '8080',
    });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://u@db:5432/mj',
      PUBLIC_URL: 'https://mj.example.org',
      PORT: 8080,
    });
  });
});
